import { Alert } from '../model/entities';
import { DEMO_ALERTS } from '../seed';
import { ALERT_READER_CLIENT_ID, ALERT_READER_CLIENT_SECRET, DEFENDER_ONLY_CLIENT_ID, DEFENDER_ONLY_CLIENT_SECRET } from '../seed/seed.constants';
import { call, Collection, ErrorEnvelope, GRAPH_RESOURCE, tokenFor, sandboxFixture } from '../testing/sandbox-client.helper';

const OPEN = DEMO_ALERTS[0];
const OTHER = DEMO_ALERTS[2];

interface GraphAlert {
  id: string;
  status: string;
  classification: string;
  determination: string;
  assignedTo: string | null;
  comments: Array<{ comment: string; createdByDisplayName: string }>;
}

describe('alert updates: Defender batchUpdate / PATCH and Graph alerts_v2', () => {
  const env = sandboxFixture();
  let graph: string;
  beforeAll(async () => (graph = await tokenFor(env.sandbox, { resource: GRAPH_RESOURCE })));

  const send = <T>(path: string, method: string, body: unknown, token = env.token) => call<T>(env.sandbox, path, { token, method, body });
  const alert = (id: string) => env.sandbox.state.alerts.find((a) => a.id === id) as Alert;

  describe('POST /api/alerts/batchUpdate', () => {
    it('updates every listed alert (status, classification, determination, assignee, comment) and answers 200 with no body', async () => {
      const res = await send('/api/alerts/batchUpdate', 'POST', {
        alertIds: [OPEN.id, OTHER.id],
        status: 'Resolved',
        classification: 'FalsePositive',
        determination: 'InsufficientData',
        assignedTo: 'secop2@contoso.com',
        comment: 'closed',
      });
      expect(res).toMatchObject({ status: 200, body: undefined });
      for (const id of [OPEN.id, OTHER.id]) {
        expect(alert(id)).toMatchObject({ status: 'Resolved', classification: 'FalsePositive', determination: 'InsufficientData', assignedTo: 'secop2@contoso.com' });
        expect(alert(id).resolvedTime).not.toBeNull();
        expect(alert(id).comments.at(-1)).toMatchObject({ comment: 'closed', createdBy: 'Defender Relay (demo)' });
      }
      // Every alert route shows the new state.
      const listed = await call<Collection<Alert>>(env.sandbox, `/api/alerts?$filter=${encodeURIComponent(`id eq '${OPEN.id}'`)}`, { token: env.token });
      expect(listed.body.value[0]).toMatchObject({ status: 'Resolved', classification: 'FalsePositive' });
      expect((await call<Alert>(env.sandbox, `/api/alerts/${OPEN.id}`, { token: env.token })).body).toMatchObject({ status: 'Resolved', assignedTo: 'secop2@contoso.com' });
      expect((await call<GraphAlert>(env.sandbox, `/v1.0/security/alerts_v2/${OPEN.id}`, { token: graph })).body).toMatchObject({
        status: 'resolved',
        classification: 'falsePositive',
        determination: 'notEnoughDataToValidate',
      });
    });

    it.each<[string, unknown, number, string]>([
      ['no alertIds', { status: 'Resolved' }, 400, 'MissingRequiredParameter'],
      ['an empty alertIds', { alertIds: [] }, 400, 'InvalidRequestBody'],
      ['a bad status', { alertIds: [OPEN.id], status: 'Closed' }, 400, 'InvalidRequestBody'],
      ['a bad classification', { alertIds: [OPEN.id], classification: 'Benign' }, 400, 'InvalidRequestBody'],
      ['a bad determination', { alertIds: [OPEN.id], determination: 'Evil' }, 400, 'InvalidRequestBody'],
      ['a mis-cased key value', { alertIds: [OPEN.id], status: 'resolved' }, 400, 'InvalidRequestBody'],
      ['an unknown id', { alertIds: [OPEN.id, 'da000_1'], status: 'Resolved' }, 404, 'ResourceNotFound'],
      ['more ids than allowed', { alertIds: Array(101).fill(OPEN.id) }, 400, 'MaximumBatchSizeExceeded'],
    ])('%s is refused, nothing changed', async (_what, body, status, code) => {
      const res = await send<ErrorEnvelope>('/api/alerts/batchUpdate', 'POST', body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(alert(OPEN.id).status).toBe(OPEN.status);
    });

    it('names the allowed size when the batch is too big', async () => {
      env.sandbox.configure({ alertBatchMaxIds: 2 });
      const res = await send<ErrorEnvelope>('/api/alerts/batchUpdate', 'POST', { alertIds: [OPEN.id, OTHER.id, OPEN.id] });
      expect(res.body.error.message).toBe('Maximum batch size exceeded. Received: 3, allowed: 2');
    });

    it('needs Alert.ReadWrite.All (403 naming it) and counts 10 calls a minute on its own quota', async () => {
      const reader = await tokenFor(env.sandbox, { clientId: ALERT_READER_CLIENT_ID, clientSecret: ALERT_READER_CLIENT_SECRET });
      const refused = await send<ErrorEnvelope>('/api/alerts/batchUpdate', 'POST', { alertIds: [OPEN.id], status: 'InProgress' }, reader);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('Alert.ReadWrite.All');

      env.sandbox.setRateLimits(true);
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push((await send('/api/alerts/batchUpdate', 'POST', { alertIds: [OPEN.id], status: 'InProgress' })).status);
      expect(statuses).toEqual([...Array(10).fill(200), 429]);
      // The general alerts quota is another one.
      expect((await call(env.sandbox, '/api/alerts?$top=1', { token: env.token })).status).toBe(200);
    });
  });

  it('PATCH /api/alerts/{id} → 200 with the alert; unknown id 404', async () => {
    const res = await send<Alert>(`/api/alerts/${OPEN.id}`, 'PATCH', { status: 'InProgress', comment: 'looking' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: OPEN.id, status: 'InProgress', comments: [expect.objectContaining({ comment: 'looking' })] });
    expect((await send<ErrorEnvelope>('/api/alerts/da000_1', 'PATCH', { status: 'InProgress' })).status).toBe(404);
  });

  describe('Graph security/alerts_v2', () => {
    it('PATCH takes the camelCase enums and Graph determinations; comments answer 200 with the whole list', async () => {
      const patched = await send<GraphAlert>(`/v1.0/security/alerts_v2/${OPEN.id}`, 'PATCH', { status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' }, graph);
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: OPEN.id, status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' });
      expect(alert(OPEN.id)).toMatchObject({ status: 'Resolved', classification: 'TruePositive', determination: 'CompromisedUser' });

      const commented = await send<Collection<{ comment: string }>>(
        `/v1.0/security/alerts_v2/${OPEN.id}/comments`,
        'POST',
        { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'via graph' },
        graph,
      );
      expect(commented.status).toBe(200);
      expect(commented.body.value.map((c) => c.comment)).toEqual(['via graph']);
      const listed = await call<Collection<GraphAlert>>(env.sandbox, '/v1.0/security/alerts_v2?$top=1', { token: graph });
      expect(listed.body.value).toHaveLength(1);
    });

    it.each<[string, unknown]>([
      ['a Defender-spelled status', { status: 'Resolved' }],
      ['a Defender-only determination name', { determination: 'clean' }],
    ])('PATCH with %s → 400', async (_what, body) => {
      expect((await send(`/v1.0/security/alerts_v2/${OPEN.id}`, 'PATCH', body, graph)).status).toBe(400);
    });

    it('unknown id → 404; an app without SecurityAlert.ReadWrite.All → 403 in Graph’s wording', async () => {
      expect((await send(`/v1.0/security/alerts_v2/da000_1`, 'PATCH', { status: 'resolved' }, graph)).status).toBe(404);
      const noGraph = await tokenFor(env.sandbox, { clientId: DEFENDER_ONLY_CLIENT_ID, clientSecret: DEFENDER_ONLY_CLIENT_SECRET, resource: GRAPH_RESOURCE });
      const refused = await send<ErrorEnvelope>(`/v1.0/security/alerts_v2/${OPEN.id}`, 'PATCH', { status: 'resolved' }, noGraph);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe('Missing application roles. API required roles: SecurityAlert.ReadWrite.All, application roles: .');
      // A read-only app may read but not write.
      const reader = await tokenFor(env.sandbox, { clientId: ALERT_READER_CLIENT_ID, clientSecret: ALERT_READER_CLIENT_SECRET, resource: GRAPH_RESOURCE });
      expect((await call(env.sandbox, `/v1.0/security/alerts_v2/${OPEN.id}`, { token: reader })).status).toBe(200);
      expect((await send(`/v1.0/security/alerts_v2/${OPEN.id}`, 'PATCH', { status: 'resolved' }, reader)).status).toBe(403);
    });

    it('$batch runs each request on its own (200 outside, a status per item, 424 for a failed dependency)', async () => {
      const json = { 'Content-Type': 'application/json' };
      const res = await send<{ responses: Array<{ id: string; status: number }> }>(
        '/v1.0/$batch',
        'POST',
        {
          requests: [
            { id: '1', method: 'PATCH', url: `/security/alerts_v2/${OPEN.id}`, headers: json, body: { status: 'inProgress' } },
            { id: '2', method: 'POST', url: `/security/alerts_v2/${OPEN.id}/comments`, dependsOn: ['1'], headers: json, body: { comment: 'c' } },
            { id: '3', method: 'PATCH', url: '/security/alerts_v2/da000_1', headers: json, body: { status: 'inProgress' } },
            { id: '4', method: 'POST', url: '/security/alerts_v2/da000_1/comments', dependsOn: ['3'], headers: json, body: { comment: 'c' } },
          ],
        },
        graph,
      );
      expect(res.status).toBe(200);
      expect(res.body.responses.map((r) => [r.id, r.status])).toEqual([
        ['1', 200],
        ['2', 200],
        ['3', 404],
        ['4', 424],
      ]);
      expect(alert(OPEN.id).status).toBe('InProgress');
      expect(env.sandbox.stats.count('graph.alerts.update')).toBe(2);
    });

    it.each<[string, unknown[]]>([
      ['more than 20 requests', Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `/security/alerts_v2/${OPEN.id}` }))],
      ['a duplicate id', [{ id: '1', method: 'GET', url: '/security/alerts_v2' }, { id: '1', method: 'GET', url: '/security/alerts_v2' }]],
      ['a body without Content-Type', [{ id: '1', method: 'PATCH', url: `/security/alerts_v2/${OPEN.id}`, body: { status: 'resolved' } }]],
    ])('$batch with %s → 400 for the whole batch, nothing run', async (_what, requests) => {
      const res = await send('/v1.0/$batch', 'POST', { requests }, graph);
      expect(res.status).toBe(400);
      expect(alert(OPEN.id).status).toBe(OPEN.status);
    });
  });
});
