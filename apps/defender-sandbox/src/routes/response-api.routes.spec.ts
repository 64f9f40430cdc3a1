import { Machine, MachineAction } from '../model/entities';
import { DEMO_MACHINE_IDS, SEED_FILES } from '../seed/seed.constants';
import { call, Collection, ErrorEnvelope, tokenFor, sandboxFixture } from '../testing/sandbox-client.helper';

const WIN10 = DEMO_MACHINE_IDS.win10;
const DROPPER = SEED_FILES.emotetDropper.sha1;

describe('Defender response API: stop and quarantine, tags, cancel, file devices', () => {
  const env = sandboxFixture();

  const post = <T>(path: string, body: unknown, as = env.token) => call<T>(env.sandbox, path, { token: as, method: 'POST', body });
  const get = <T>(path: string) => call<T>(env.sandbox, path, { token: env.token });
  const quarantine = (machineId: string, sha1 = DROPPER) => post<MachineAction & ErrorEnvelope>(`/api/machines/${machineId}/StopAndQuarantineFile`, { Comment: 'c', Sha1: sha1 });

  it('files/{sha1}/machines lists the devices that saw the file; an unknown file has none', async () => {
    const res = await get<Collection<Machine>>(`/api/files/${DROPPER}/machines`);
    expect(res.status).toBe(200);
    expect(res.body.value.map((m) => m.id)).toContain(WIN10);
    expect((await get<Collection<Machine>>(`/api/files/${'0'.repeat(40)}/machines`)).body.value).toEqual([]);
  });

  it('StopAndQuarantineFile → 201 Pending action about the file; a second for the same device and file → 400 in progress', async () => {
    env.sandbox.configure({ machineActionDelayMs: 60_000 });
    const first = await quarantine(WIN10);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'StopAndQuarantineFile', status: 'Pending', relatedFileInfo: { fileIdentifier: DROPPER, fileIdentifierType: 'Sha1' } });
    const second = await quarantine(WIN10);
    expect(second.status).toBe(400);
    expect(second.body.error).toMatchObject({ code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' });
    // Another file on the same device is its own action.
    expect((await quarantine(WIN10, SEED_FILES.webShell.sha1)).status).toBe(201);
  });

  it('StopAndQuarantineFile: bad Sha1 → 400, unknown machine → 404, missing permission → 403 naming it', async () => {
    expect((await post<ErrorEnvelope>(`/api/machines/${WIN10}/StopAndQuarantineFile`, { Comment: 'c', Sha1: 'abc' })).body.error.code).toBe('InvalidRequestBody');
    const unknown = await quarantine('0123456789abcdef0123456789abcdef01234567');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('Machine 0123456789abcdef0123456789abcdef01234567 was not found');

    const app = env.sandbox.state.primary.apps[0];
    app.roles.defender = app.roles.defender.filter((r) => r !== 'Machine.StopAndQuarantine');
    const limited = await tokenFor(env.sandbox);
    const refused = await post<ErrorEnvelope>(`/api/machines/${WIN10}/StopAndQuarantineFile`, { Comment: 'c', Sha1: DROPPER }, limited);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('Machine.StopAndQuarantine');
    expect(env.sandbox.state.machineActions.some((a) => a.type === 'StopAndQuarantineFile')).toBe(false);
  });

  it('tags: Add then Remove change machineTags in the exact spelling (200 with the machine); a bad Action → 400', async () => {
    const add = await post<Machine>(`/api/machines/${WIN10}/tags`, { Value: 'XDR-Contained', Action: 'Add' });
    expect(add.status).toBe(200);
    expect(add.body.machineTags).toEqual(['Finance', 'VIP', 'XDR-Contained']);
    const otherSpelling = await post<Machine>(`/api/machines/${WIN10}/tags`, { Value: 'xdr-contained', Action: 'Remove' });
    expect(otherSpelling.body.machineTags).toEqual(['Finance', 'VIP', 'XDR-Contained']);
    const remove = await post<Machine>(`/api/machines/${WIN10}/tags`, { Value: 'XDR-Contained', Action: 'Remove' });
    expect(remove.body.machineTags).toEqual(['Finance', 'VIP']);
    expect((await post<ErrorEnvelope>(`/api/machines/${WIN10}/tags`, { Value: 'x', Action: 'Toggle' })).status).toBe(400);
  });

  it('cancel: a pending action becomes Cancelled and never completes; cancelling it again → 400; unknown → 404', async () => {
    env.sandbox.configure({ machineActionDelayMs: 60_000 });
    const isolate = await post<MachineAction>(`/api/machines/${WIN10}/isolate`, { Comment: 'c', IsolationType: 'Full' });
    const cancel = await post<MachineAction>(`/api/machineactions/${isolate.body.id}/cancel`, { Comment: 'oops' });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ id: isolate.body.id, status: 'Cancelled', cancellationComment: 'oops' });
    env.advanceClock(61_000);
    expect(env.sandbox.state.machineActions.find((a) => a.id === isolate.body.id)?.status).toBe('Cancelled');
    expect((await post<ErrorEnvelope>(`/api/machineactions/${isolate.body.id}/cancel`, { Comment: 'again' })).status).toBe(400);
    expect((await post<ErrorEnvelope>('/api/machineactions/00000000-0000-4000-8000-000000000000/cancel', { Comment: 'x' })).status).toBe(404);
  });
});
