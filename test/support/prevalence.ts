/** A prevalence sighting (Defender's statistics of a file, IP or domain), told apart from alert and event sightings by its title. */
export const isPrevalence = (doc: object): boolean => {
  const title = (doc as { title?: unknown }).title;
  return typeof title === 'string' && /^Microsoft Defender for Endpoint: seen on \d+ devices? of your organisation$/.test(title);
};

/** The alert and event sightings of an answer, for specs about those (test/observe-prevalence.e2e.ts covers the others). */
export const withoutPrevalence = <T extends object>(docs: readonly T[]): T[] => docs.filter((d) => !isPrevalence(d));
