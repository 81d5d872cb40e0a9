/** Russian strings of the dashboard's charts, capacity card and first steps (`flow.*`), merged into `ru.ts`. */
export const flowRu = {
  events: {
    title: 'События',
    range24h: 'За сутки, по часам',
    range7d: 'За неделю, по дням',
    empty: 'За это время событий не было.',
    filtered:
      'Отсеяно: {count}. В них не поменялось ничего, что нужно правилам и сопоставлениям полей, поэтому ничего не отправлялось.',
  },
  outcome: {
    done: 'Обработаны',
    skipped: 'Пропущены',
    retried: 'С повтором',
    failed: 'С ошибкой',
  },
  funnel: {
    title: 'Сделки по этапам',
    empty: 'Сделок пока нет. Они появятся, когда сервис получит их из amoCRM.',
  },
  rate: {
    title: 'Запросы в amoCRM за час',
    budget: 'Лимит {budget} в секунду',
    notConnected: 'amoCRM не подключена.',
    peak: 'Больше всего за секунду: {peak} из {budget}',
    lane: {
      interactive: 'Из приложений',
      sync: 'Обмен',
      import: 'Загрузка файлов',
    },
  },
  capacity: {
    title: 'Пропускная способность',
    webhooks: 'Вебхуки: {average} в секунду, в самую загруженную минуту {peak}',
    events: 'События: {average} в секунду, в самую загруженную минуту {peak}',
    backlog: 'Ждут обработки: {count}',
    lag: 'Самое старое ждёт: {seconds} с',
    scope: {
      installation: 'Вся установка',
      workspace: 'Ваше пространство',
    },
    advice: {
      ok: 'Сервис успевает за потоком.',
      watch: 'События ждут дольше минуты, но очередь уменьшается.',
      add_worker: 'Очередь растёт — добавьте обработчик.',
      tell_platform_admin: 'Очередь растёт — сообщите администратору платформы.',
    },
  },
  checklist: {
    title: 'Первые шаги',
    progress: 'Готово {done} из {total}',
    step: {
      amocrm: 'Подключите amoCRM',
      webhooks: 'Подпишитесь на вебхуки amoCRM',
      lptracker: 'Подключите LPTracker',
      mapping: 'Проверьте и сохраните настройки полей',
      testLead: 'Отправьте пробную заявку из LPTracker',
    },
    done: 'Сделано',
    todo: 'Ещё не сделано',
  },
  loadFailed: 'Не удалось загрузить данные.',
};
