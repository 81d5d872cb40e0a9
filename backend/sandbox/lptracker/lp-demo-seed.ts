import type { LpAccount } from './lp-account';
import { addContactField, addCustomField, addProject, addStaff } from './lp-metadata';
import { MANAGER_ACTOR } from './lp-records';

/**
 * The demo: project «Сайт» with custom fields «Бюджет» (text), «Город» (cats) and «Адрес» (map), a
 * contact field «Компания», the funnel Новый → В работе → Продажа → Отказ, two managers and five
 * leads (sent before any callback URL exists, so they fire no webhook).
 */

const LEADS: readonly [name: string, phone: string, email: string | null, source: string, stage: number][] = [
  ['Иван Петров', '+7 916 123-45-67', 'ivan.petrov@mail.ru', 'yandex', 0],
  ['Мария Иванова', '8 (903) 555-12-34', null, 'google', 1],
  ['Алексей Смирнов', '+79261112233', 'a.smirnov@yandex.ru', 'direct', 1],
  ['Елена Кузнецова', '8-925-700-80-90', 'elena.k@gmail.com', 'yandex', 2],
  ['Сергей Попов', '+7 (985) 321-00-11', null, 'vk', 3],
];

export function seedLpDemo(account: LpAccount): void {
  const project = addProject(account, { name: 'Сайт', domain: 'romashka-demo.ru' });
  const budget = addCustomField(account, project.id, { name: 'Бюджет', type: 'text' });
  const city = addCustomField(account, project.id, {
    name: 'Город',
    type: 'cats',
    options: ['Москва', 'Санкт-Петербург', 'Казань'],
  });
  addCustomField(account, project.id, { name: 'Адрес', type: 'map' });
  addContactField(account, project.id, { name: 'Компания', type: 'text' });
  const anna = addStaff(account, {
    name: 'Анна Соколова',
    job: 'Менеджер по продажам',
    email: 'anna@romashka-demo.ru',
  });
  const oleg = addStaff(account, {
    name: 'Олег Морозов',
    job: 'Руководитель отдела продаж',
    email: 'oleg@romashka-demo.ru',
  });
  LEADS.forEach(([name, phone, email, source, stage], index) => {
    account.service.createLead(
      {
        contact: {
          projectId: project.id,
          name,
          details: [
            { type: 'phone', data: phone },
            ...(email ? [{ type: 'email' as const, data: email }] : []),
          ],
        },
        name: `Заявка с сайта: ${name}`,
        stageId: project.stages[stage].id,
        ownerId: index % 2 === 0 ? anna.id : oleg.id,
        view: { source, campaign: 'demo', keyword: 'окна пвх' },
        custom: new Map<number, unknown>([
          [budget.id, String(50_000 * (index + 1))],
          [city.id, city.options[index % city.options.length]],
        ]),
        callback: false,
      },
      MANAGER_ACTOR,
    );
  });
}
