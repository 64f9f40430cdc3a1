import { TriggerPipe } from './trigger.pipe';

describe('TriggerPipe: the observable value', () => {
  const pipe = new TriggerPipe();
  const read = (observable_type: string, observable_value: string) => pipe.transform({ 'action-id': 'microsoft-defender-FullIsolation', observable_type, observable_value });

  it('normalises a known type and finds nothing wrong with a well-formed value', () => {
    expect(read(' MS_Machine_Id ', 'A'.repeat(40))).toMatchObject({ observable: { type: 'ms_machine_id', value: 'a'.repeat(40) }, invalidValue: undefined });
  });

  it('says why a value does not fit its known type, whatever the action', () => {
    expect(read('ms_machine_id', 'a'.repeat(39)).invalidValue).toBe("Invalid JSON payload received: 'observable_value' is not a Defender machine id (40 hexadecimal characters)");
    expect(read('ip', '999.1.1.1').invalidValue).toBe("Invalid JSON payload received: 'observable_value' is not an IP address");
  });

  it('leaves an unknown type to the action check', () => {
    expect(read('cve', 'CVE-2026-0001').invalidValue).toBeUndefined();
  });
});
