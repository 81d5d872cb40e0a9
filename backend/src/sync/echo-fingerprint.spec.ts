import type { AmocrmWebhookChange } from '../amocrm/webhooks';
import {
  canonicalValue,
  describesWrite,
  digestFields,
  echoFieldsOfWebhookChange,
  echoFieldsOfWrite,
  fingerprintOf,
} from './echo-fingerprint';

function change(partial: Partial<AmocrmWebhookChange>): AmocrmWebhookChange {
  return {
    entity: 'lead',
    action: 'update',
    id: 1,
    name: null,
    statusId: null,
    oldStatusId: null,
    pipelineId: null,
    oldPipelineId: null,
    price: null,
    responsibleUserId: null,
    oldResponsibleUserId: null,
    createdUserId: null,
    modifiedUserId: null,
    dateCreate: null,
    lastModified: null,
    createdAt: null,
    updatedAt: null,
    closedAt: null,
    customFields: [],
    tags: [],
    linkedLeadIds: [],
    note: null,
    fields: {},
    ...partial,
  };
}

describe('echo fingerprints', () => {
  it('canonicalises both sides the same way', () => {
    expect(canonicalValue('price', 5)).toBe(canonicalValue('price', '5.0'));
    expect(canonicalValue('cf:1', true)).toBe(canonicalValue('cf:1', '1'));
    expect(canonicalValue('name', ' Иван ')).toBe('Иван');
    expect(canonicalValue('cf:2', ['b', 'a', 'a'])).toBe(canonicalValue('cf:2', ['a', 'b']));
    expect(canonicalValue('tags', ['VIP'])).toBe(canonicalValue('tags', ['vip']));
    expect(canonicalValue('cf:3', null)).toBe(canonicalValue('cf:3', []));
    expect(canonicalValue('cf:3', '')).toBe(canonicalValue('cf:3', undefined));
    expect(canonicalValue('name', 'Ivan')).not.toBe(canonicalValue('name', 'ivan'));
  });

  it('recognises the webhook amoCRM sends for our write (whole entity, v2 names, texts for options)', () => {
    const written = echoFieldsOfWrite({
      name: 'Заявка',
      status_id: 11,
      pipeline_id: 1,
      price: 1500,
      custom_fields_values: [
        { field_id: 501, values: [{ value: 'Сайт' }] },
        { field_id: 506, values: [{ value: true }] },
      ],
      tags: [{ name: 'сайт' }],
    });
    const observed = echoFieldsOfWebhookChange(
      change({
        name: 'Заявка',
        statusId: 11,
        pipelineId: 1,
        price: 1500,
        responsibleUserId: 77,
        customFields: [
          { id: 501, name: 'Источник', code: null, values: [{ value: 'Сайт', enum: 31 }] },
          { id: 506, name: 'Согласие', code: null, values: [{ value: '1', enum: null }] },
          { id: 600, name: 'Другое', code: null, values: [{ value: 'x', enum: null }] },
        ],
        tags: [{ id: 5, name: 'Сайт' }],
      }),
    );
    expect(describesWrite(digestFields(written), digestFields(observed))).toBe(true);
  });

  it('does not recognise a state that differs in any field we wrote', () => {
    const written = digestFields({ name: 'Заявка', status_id: 11, 'cf:10': ['+79161234567'] });
    expect(
      describesWrite(written, digestFields({ name: 'Заявка', status_id: 12, 'cf:10': ['+79161234567'] })),
    ).toBe(false);
    expect(
      describesWrite(
        written,
        digestFields({ name: 'Заявка', status_id: 11, 'cf:10': ['+79161234567', '+79990000000'] }),
      ),
    ).toBe(false);
    expect(describesWrite(written, digestFields({ name: 'Заявка', status_id: 11 }))).toBe(false);
    // a field we cleared matches a webhook that leaves it out
    expect(describesWrite(digestFields({ 'cf:10': [] }), digestFields({ name: 'x' }))).toBe(true);
  });

  it('keeps digests, not values, and fingerprints a write independently of field order', () => {
    const digests = digestFields({ 'cf:10': ['+79161234567'], name: 'Иван' });
    expect(JSON.stringify(digests)).not.toContain('79161234567');
    expect(fingerprintOf(digests)).toBe(
      fingerprintOf(digestFields({ name: 'Иван', 'cf:10': ['+79161234567'] })),
    );
  });
});
