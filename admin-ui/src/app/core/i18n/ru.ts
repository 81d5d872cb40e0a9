/**
 * Russian strings: the source of truth for every text the console shows.
 * `en.ts` must have exactly the same keys (the compiler checks it).
 * Placeholders look like `{name}` and are filled by `I18nService.t(key, { name })`.
 */
export const ru = {
  app: {
    name: 'amoCRM ⇄ LPTracker',
    description: 'Панель управления интеграцией amoCRM и LPTracker',
  },
  common: {
    loading: 'Загружаем…',
    retry: 'Повторить',
    close: 'Закрыть',
  },
  language: {
    current: 'RU',
    switch: 'Язык: русский. Переключить на английский',
  },
  theme: {
    toLight: 'Включить светлую тему',
    toDark: 'Включить тёмную тему',
  },
  roles: {
    admin: 'Администратор',
    manager: 'Менеджер',
    viewer: 'Наблюдатель',
    superAdmin: 'Главный администратор',
  },
  shell: {
    openMenu: 'Открыть меню',
    navigation: 'Разделы',
    userMenu: 'Меню пользователя',
    logout: 'Выйти',
  },
  menu: {
    dashboard: 'Обзор',
  },
  dashboard: {
    title: 'Обзор',
    subtitle: 'Состояние сервиса. Данные обновляются каждые 10 секунд.',
    refresh: 'Обновить сейчас',
    updatedAt: 'Обновлено в {time}',
    overall: {
      title: 'Сервис в целом',
      up: 'Всё работает',
      down: 'Есть неполадки',
      unknown: 'Нет связи с сервером',
      loading: 'Проверяем…',
      downHint: 'Часть сервиса не работает. Подробности — на карточках ниже.',
      unknownHint: 'Не удаётся получить состояние сервиса. Проверьте, что сервер запущен.',
    },
    checks: {
      database: 'База данных',
      redis: 'Очередь (Redis)',
    },
    check: {
      up: 'Работает',
      down: 'Не работает',
      unknown: 'Нет данных',
      latency: 'Отклик: {ms} мс',
      error: 'Ошибка: {error}',
    },
  },
  login: {
    title: 'Вход',
    email: 'Электронная почта',
    password: 'Пароль',
    submit: 'Войти',
    showPassword: 'Показать пароль',
    hidePassword: 'Скрыть пароль',
    sessionExpired: 'Сессия закончилась. Войдите снова.',
    emailRequired: 'Введите адрес почты',
    emailInvalid: 'Адрес почты выглядит неправильно, например: name@example.com',
    passwordRequired: 'Введите пароль',
    wrongCredentials: 'Неверная почта или пароль.',
    lockedOut: 'Слишком много попыток, попробуйте через {minutes} мин.',
    lockedOutSoon: 'Слишком много попыток, попробуйте чуть позже.',
    unreachable: 'Сервер недоступен. Проверьте подключение и попробуйте ещё раз.',
    failed: 'Не получилось войти. Попробуйте ещё раз чуть позже.',
  },
  notFound: {
    title: 'Страница не найдена',
    text: 'Такой страницы нет. Возможно, ссылка устарела или в адресе опечатка.',
    home: 'На главную',
  },
  forbidden: {
    title: 'Нет доступа',
    text: 'Для этого раздела нужно больше прав. Обратитесь к администратору.',
  },
  errors: {
    network: 'Сервер недоступен. Проверьте подключение и попробуйте ещё раз.',
    badRequest: 'Проверьте введённые данные.',
    validation: 'Проверьте поля, отмеченные красным.',
    unauthorized: 'Сессия закончилась. Войдите снова.',
    forbidden: 'Для этого действия не хватает прав.',
    notFound: 'Не нашли такую запись. Возможно, её уже удалили.',
    conflict: 'Не получилось сохранить: данные уже изменились или такая запись уже есть.',
    tooManyRequests: 'Слишком много запросов, попробуйте через {minutes} мин.',
    tooManyRequestsSoon: 'Слишком много запросов, попробуйте чуть позже.',
    server: 'На сервере что-то пошло не так. Попробуйте позже.',
    unavailable: 'Сервер временно недоступен. Попробуйте позже.',
    unknown: 'Что-то пошло не так. Попробуйте ещё раз.',
  },
  paginator: {
    itemsPerPage: 'Строк на странице:',
    nextPage: 'Следующая страница',
    previousPage: 'Предыдущая страница',
    firstPage: 'Первая страница',
    lastPage: 'Последняя страница',
    range: '{start}–{end} из {length}',
    rangeEmpty: '0 из {length}',
  },
};
