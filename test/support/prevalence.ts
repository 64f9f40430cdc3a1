/** A prevalence sighting (Defender's statistics of a file, IP or domain), told apart from alert and event sightings by its title. */
export const isPrevalence = (doc: { title?: string }): boolean => /^Microsoft Defender for Endpoint: seen on \d+ devices? of your organisation$/.test(doc.title ?? '');

/** The alert and event sightings of an answer, for specs about those (test/observe-prevalence.e2e-spec.ts covers the others). */
export const withoutPrevalence = <T extends { title?: string }>(docs: readonly T[]): T[] => docs.filter((d) => !isPrevalence(d));
