import type { AmoAccount } from './account';
import { ChangeLog } from './change-log';
import { LOST_STATUS_ID, WON_STATUS_ID } from './entity-records';
import { nowSeconds } from './sandbox-runtime';

/** Realistic demo data: 30 Russian contacts (phones in mixed formats) and 40 leads in all stages. */

const PEOPLE: readonly [first: string, last: string, email: string | null, position: string | null][] = [
  ['Иван', 'Петров', 'ivan.petrov@mail.ru', 'Директор'],
  ['Мария', 'Иванова', 'm.ivanova@yandex.ru', null],
  ['Алексей', 'Смирнов', null, 'Менеджер по закупкам'],
  ['Елена', 'Кузнецова', 'elena.k@gmail.com', null],
  ['Сергей', 'Попов', 'popov.s@bk.ru', 'Главный инженер'],
  ['Наталья', 'Васильева', null, null],
  ['Дмитрий', 'Соколов', 'd.sokolov@stroymir.ru', 'Коммерческий директор'],
  ['Ольга', 'Михайлова', 'olga.mikhailova@mail.ru', null],
  ['Андрей', 'Новиков', null, 'Прораб'],
  ['Татьяна', 'Фёдорова', 'tatiana.f@yandex.ru', 'Бухгалтер'],
  ['Михаил', 'Морозов', 'morozov.m@inbox.ru', null],
  ['Анна', 'Волкова', null, null],
  ['Николай', 'Алексеев', 'n.alekseev@techno.ru', 'Руководитель отдела'],
  ['Светлана', 'Лебедева', 'svetlana.lebedeva@gmail.com', null],
  ['Владимир', 'Семёнов', null, 'Индивидуальный предприниматель'],
  ['Юлия', 'Егорова', 'yulia.egorova@mail.ru', null],
  ['Павел', 'Павлов', 'pavlov.p@yandex.ru', 'Снабженец'],
  ['Ирина', 'Козлова', null, null],
  ['Константин', 'Степанов', 'k.stepanov@optima.ru', 'Генеральный директор'],
  ['Екатерина', 'Николаева', 'ekaterina.n@bk.ru', null],
  ['Артём', 'Орлов', null, 'Логист'],
  ['Людмила', 'Андреева', 'l.andreeva@mail.ru', null],
  ['Роман', 'Макаров', 'r.makarov@gmail.com', 'Архитектор'],
  ['Галина', 'Никитина', null, null],
  ['Евгений', 'Захаров', 'zakharov.e@yandex.ru', 'Технический директор'],
  ['Виктория', 'Зайцева', 'vika.zaitseva@inbox.ru', null],
  ['Игорь', 'Соловьёв', null, 'Инженер-сметчик'],
  ['Оксана', 'Борисова', 'o.borisova@mail.ru', null],
  ['Максим', 'Яковлев', 'maxim.yakovlev@gmail.com', 'Владелец'],
  ['Вера', 'Григорьева', null, null],
];

/** Ten-digit national numbers; the first is the one the docs talk about. */
function nationalNumber(index: number): string {
  if (index === 0) return '9161234567';
  const codes = ['916', '903', '926', '985', '915', '905', '977', '999', '921', '912'];
  const subscriber = String((1_234_567 + index * 7_919_113) % 10_000_000).padStart(7, '0');
  return `${codes[index % codes.length]}${subscriber}`;
}

/** Phones as managers type them: `+7916…`, `8916…`, `916…`, `+7 (916) 123-45-67`. */
function typedPhone(national: string, index: number): string {
  switch (index % 4) {
    case 0:
      return `+7${national}`;
    case 1:
      return `8${national}`;
    case 2:
      return national;
    default:
      return `+7 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`;
  }
}

const LEAD_TITLES = [
  'Заявка с сайта',
  'Консультация по монтажу',
  'Повторный заказ',
  'Запрос коммерческого предложения',
  'Звонок с рекламы',
  'Доставка материалов',
  'Сервисное обслуживание',
  'Оптовая закупка',
];

const DAY = 86_400;

export function seedDemoData(account: AmoAccount): void {
  const data = account.data;
  const changes = new ChangeLog();
  const [admin, manager, secondManager] = data.users;
  const source = data.contactFields.byName('Источник клиента');
  const firstContact = data.contactFields.byName('Дата первого обращения');
  const now = nowSeconds();

  const contacts = PEOPLE.map(([first, last, email, position], index) => {
    const createdAt = now - (75 - index * 2) * DAY;
    const fields: unknown[] = [
      {
        field_code: 'PHONE',
        values: [
          { value: typedPhone(nationalNumber(index), index), enum_code: index % 3 === 0 ? 'MOB' : 'WORK' },
        ],
      },
    ];
    if (email) fields.push({ field_code: 'EMAIL', values: [{ value: email, enum_code: 'WORK' }] });
    if (position) fields.push({ field_code: 'POSITION', values: [{ value: position }] });
    if (source && index % 2 === 0)
      fields.push({ field_id: source.id, values: [{ enum_id: source.enums?.[index % 5]?.id }] });
    if (firstContact && index % 3 === 1)
      fields.push({ field_id: firstContact.id, values: [{ value: createdAt }] });
    return {
      first_name: first,
      last_name: last,
      name: `${first} ${last}`,
      responsible_user_id: (index % 3 === 0 ? admin : index % 3 === 1 ? manager : secondManager).id,
      created_by: admin.id,
      created_at: createdAt,
      updated_at: createdAt + (index % 5) * DAY,
      custom_fields_values: fields,
      ...(index % 7 === 0 ? { _embedded: { tags: [{ name: 'VIP' }] } } : {}),
    };
  });
  // The fuzzy-search trap: a twelve-digit number containing the first contact's ten digits.
  contacts.push({
    first_name: 'Георгий',
    last_name: 'Тихонов',
    name: 'Георгий Тихонов',
    responsible_user_id: manager.id,
    created_by: admin.id,
    created_at: now - 3 * DAY,
    updated_at: now - 3 * DAY,
    custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+791612345678', enum_code: 'WORK' }] }],
  });
  const createdContacts = account.contacts.create(contacts, admin.id, changes).map((result) => result.record);

  const [main, repeat] = data.pipelines;
  const stagesOf = (pipelineIndex: number): number[] =>
    (pipelineIndex === 0 ? main : repeat).statuses
      .filter((status) => status.type === 0)
      .map((status) => status.id);
  const leadFields = {
    source: data.leadFields.byName('Источник заявки'),
    services: data.leadFields.byName('Услуги'),
    seats: data.leadFields.byName('Количество мест'),
    meeting: data.leadFields.byName('Дата встречи'),
    consent: data.leadFields.byName('Согласие на обработку ПД'),
  };
  const leads = Array.from({ length: 40 }, (_, index) => {
    const pipelineIndex = index % 4 === 3 ? 1 : 0;
    const stages = stagesOf(pipelineIndex);
    const statusId = stages[index % stages.length];
    const contact = createdContacts[index % 30];
    const createdAt = now - (60 - index) * DAY;
    const fields: unknown[] = [];
    if (leadFields.source)
      fields.push({
        field_id: leadFields.source.id,
        values: [{ enum_id: leadFields.source.enums?.[index % 5]?.id }],
      });
    if (leadFields.services && index % 2 === 0) {
      fields.push({
        field_id: leadFields.services.id,
        values: (leadFields.services.enums ?? [])
          .slice(0, 1 + (index % 3))
          .map((option) => ({ enum_id: option.id })),
      });
    }
    if (leadFields.seats && index % 3 === 0)
      fields.push({ field_id: leadFields.seats.id, values: [{ value: 2 + index }] });
    if (leadFields.meeting && index % 4 === 1)
      fields.push({ field_id: leadFields.meeting.id, values: [{ value: createdAt + 7 * DAY }] });
    if (leadFields.consent)
      fields.push({ field_id: leadFields.consent.id, values: [{ value: index % 5 !== 0 }] });
    return {
      name: `${LEAD_TITLES[index % LEAD_TITLES.length]} — ${contact.lastName}`,
      price: ((index * 37) % 20) * 5_000 + 10_000,
      pipeline_id: (pipelineIndex === 0 ? main : repeat).id,
      status_id: statusId,
      responsible_user_id: (index % 2 === 0 ? manager : secondManager).id,
      created_by: admin.id,
      created_at: createdAt,
      updated_at: createdAt + (index % 6) * DAY,
      ...(statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID
        ? { closed_at: createdAt + 5 * DAY }
        : {}),
      custom_fields_values: fields,
      _embedded: {
        contacts: [{ id: contact.id }],
        ...(index % 6 === 0 ? { tags: [{ name: 'Горячая' }] } : {}),
      },
    };
  });
  account.leads.create(leads, admin.id, changes);
}
