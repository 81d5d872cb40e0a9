import { AmocrmUnavailableError, AmocrmValidationError } from '../amocrm/amocrm.problems';
import { clientFieldOf, explainAmocrmRefusal, type AmoWriteShape } from './amocrm-paths';
import { AmocrmRefusedProblem } from './sync.problems';

const contact: AmoWriteShape = { prefix: 'contact.', customFields: ['phone', 'email', 'customFields[0]'] };
const lead: AmoWriteShape = {
  prefix: '',
  customFields: ['customFields[0]', 'customFields[2]'],
  embeddedContact: contact,
};

describe('amoCRM validation paths named as the client sent them', () => {
  it.each([
    ['custom_fields_values.0.values.0.value', 'customFields[0].values[0].value'],
    ['custom_fields_values.1.values.2.enum_id', 'customFields[2].values[2].enumId'],
    ['custom_fields_values.1.field_id', 'customFields[2].fieldId'],
    ['custom_fields_values.9.values.0.value', 'customFields'],
    ['name', 'name'],
    ['price', 'price'],
    ['status_id', 'statusId'],
    ['pipeline_id', 'pipelineId'],
    ['_embedded.tags.3.name', 'tags[3]'],
    ['_embedded.contacts.0.name', 'contact.name'],
    ['_embedded.contacts.0.custom_fields_values.0.values.0.value', 'contact.phone'],
    ['_embedded.contacts.0.custom_fields_values.1.values.0.value', 'contact.email'],
    [
      '_embedded.contacts.0.custom_fields_values.2.values.0.enum_id',
      'contact.customFields[0].values[0].enumId',
    ],
    ['something_else', 'something_else'],
    ['', '(entity)'],
  ])('%s → %s', (path, field) => {
    expect(clientFieldOf(path, lead)).toBe(field);
  });

  it('turns amoCRM’s validation error into our 422 and leaves other errors alone', () => {
    const refused = explainAmocrmRefusal(
      new AmocrmValidationError([
        {
          requestId: '0',
          path: 'custom_fields_values.0.values.0.value',
          code: 'InvalidType',
          detail: 'Value must be numeric',
        },
      ]),
      lead,
    );
    expect(refused).toBeInstanceOf(AmocrmRefusedProblem);
    const problem = (refused as AmocrmRefusedProblem).problem;
    expect(problem.status).toBe(422);
    expect(problem.errors).toEqual([
      { field: 'customFields[0].values[0].value', message: 'Value must be numeric', code: 'InvalidType' },
    ]);
    expect(problem.amocrmErrors).toEqual([
      expect.objectContaining({ path: 'custom_fields_values.0.values.0.value' }),
    ]);
    const unavailable = new AmocrmUnavailableError('down');
    expect(explainAmocrmRefusal(unavailable, lead)).toBe(unavailable);
  });
});
