import { changeItems, flattenJson, formLines, prettyPayload } from './event-payload';

describe('event payload', () => {
  it('shows a form-encoded amoCRM webhook as decoded key = value lines', () => {
    const body =
      'leads%5Bstatus%5D%5B0%5D%5Bid%5D=31415926&leads%5Bstatus%5D%5B0%5D%5Bname%5D=%D0%9F%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B0+%D0%B1%D1%83%D0%BC%D0%B0%D0%B3%D0%B8&account%5Bsubdomain%5D=demo';
    expect(prettyPayload(body, 'application/x-www-form-urlencoded')).toEqual({
      kind: 'form',
      text: 'leads[status][0][id] = 31415926\nleads[status][0][name] = Поставка бумаги\naccount[subdomain] = demo',
    });
  });

  it('keeps a broken escape as it came and reads a form without a content type', () => {
    expect(formLines('a=%E0%A4%A&b=1')).toBe('a = %E0%A4%A\nb = 1');
    expect(prettyPayload('a=1&b=2', '').kind).toBe('form');
  });

  it('pretty-prints JSON, leaves other text and base64 bodies alone', () => {
    expect(prettyPayload('{"changes":[{"id":"7"}]}', 'application/json').text).toBe(
      '{\n  "changes": [\n    {\n      "id": "7"\n    }\n  ]\n}',
    );
    expect(prettyPayload('not json {', 'text/plain')).toEqual({ kind: 'text', text: 'not json {' });
    expect(prettyPayload('AAEC', 'application/octet-stream', 'base64')).toEqual({
      kind: 'base64',
      text: 'AAEC',
    });
  });

  it('lists parsed changes one block per change, without empty fields and the raw copy', () => {
    const items = changeItems([
      {
        entity: 'lead',
        action: 'status',
        id: 31,
        statusId: 142,
        oldStatusId: null,
        tags: [],
        fields: { x: '1' },
      },
    ]);
    expect(items).toEqual([
      {
        title: 'lead · status · 31',
        lines: [
          { key: 'entity', value: 'lead' },
          { key: 'action', value: 'status' },
          { key: 'id', value: '31' },
          { key: 'statusId', value: '142' },
        ],
      },
    ]);
    expect(changeItems({ changes: [{ id: '1' }, { id: '2' }] })).toHaveLength(2);
    expect(flattenJson({ a: { b: [1, 'x'] } })).toEqual(['a.b[0] = 1', 'a.b[1] = x']);
  });
});
