import type { Locale, LocaleTranslations } from 'adminjs';

/**
 * AdminJS ships no Russian: this is all of its interface in Russian, then the console's own words in
 * both languages. Plural keys name the count instead of declining the noun, which Russian would need
 * three forms for.
 */
const ADMINJS_RU: LocaleTranslations = {
  actions: { new: 'Создать', edit: 'Изменить', show: 'Просмотр', delete: 'Удалить', bulkDelete: 'Удалить выбранные', list: 'Список', search: 'Поиск' },
  buttons: {
    save: 'Сохранить',
    addNewItem: 'Добавить',
    filter: 'Фильтр',
    filterActive: 'Фильтр ({{count}})',
    applyChanges: 'Применить',
    resetFilter: 'Сбросить',
    confirmRemovalMany: 'Удалить записи: {{count}}',
    confirmRemovalMany_plural: 'Удалить записи: {{count}}',
    logout: 'Выйти',
    login: 'Войти',
    seeTheDocumentation: 'См. <1>документацию</1>',
    createFirstRecord: 'Создать первую запись',
    cancel: 'Отмена',
    confirm: 'Подтвердить',
    contactUs: 'Связаться с нами',
  },
  components: {
    DropZone: {
      placeholder: 'Перетащите файл сюда или нажмите, чтобы выбрать',
      acceptedSize: 'Не больше {{maxSize}}',
      acceptedType: 'Типы: {{mimeTypes}}',
      unsupportedSize: 'Файл {{fileName}} слишком большой',
      unsupportedType: 'Тип файла {{fileName}} не поддерживается: {{fileType}}',
    },
    Login: {
      welcomeHeader: 'Консоль записи',
      welcomeMessage: 'Режимы записи, правила серверов, записи конференций, журнал действий и состояние устройства записи.',
      properties: { email: 'Электронная почта', password: 'Пароль' },
      loginButton: 'Войти',
    },
  },
  labels: {
    navigation: 'Разделы',
    pages: 'Страницы',
    selectedRecords: 'Выбрано: {{selected}}',
    filters: 'Фильтры',
    adminVersion: 'AdminJS: {{version}}',
    appVersion: 'Версия: {{version}}',
    dashboard: 'Состояние',
  },
  properties: { length: 'Количество', from: 'С', to: 'По' },
  messages: {
    successfullyBulkDeleted: 'Удалено записей: {{count}}',
    successfullyBulkDeleted_plural: 'Удалено записей: {{count}}',
    successfullyDeleted: 'Запись удалена',
    successfullyUpdated: 'Изменения сохранены',
    thereWereValidationErrors: 'Есть ошибки — они отмечены ниже',
    forbiddenError: 'Действие «{{actionName}}» с «{{resourceId}}» вам недоступно',
    anyForbiddenError: 'Это действие вам недоступно',
    successfullyCreated: 'Запись создана',
    bulkDeleteError: 'Не удалось удалить записи',
    errorFetchingRecords: 'Не удалось загрузить записи',
    errorFetchingRecord: 'Не удалось загрузить запись',
    noRecordsSelected: 'Ничего не выбрано',
    theseRecordsWillBeRemoved: 'Будет удалена запись',
    theseRecordsWillBeRemoved_plural: 'Будут удалены записи',
    pickSomeFirstToRemove: 'Сначала выберите, что удалить',
    error404Resource: 'Раздела «{{resourceId}}» нет',
    error404Action: 'В разделе «{{resourceId}}» нет действия «{{actionName}}» или оно вам недоступно',
    error404Record: 'В разделе «{{resourceId}}» нет записи {{recordId}} или она вам недоступна',
    seeConsoleForMore: 'Подробности — в консоли разработчика браузера',
    noActionComponent: 'У действия нет компонента',
    noRecordsInResource: 'Здесь пока ничего нет',
    noRecords: 'Нет записей',
    confirmDelete: 'Удалить безвозвратно?',
    invalidCredentials: 'Неверный адрес или пароль',
    keyPlaceholder: 'КЛЮЧ',
    valuePlaceholder: 'ЗНАЧЕНИЕ',
    initialKey: 'Ключ-{{number}}',
    keyInUse: 'Ключи не должны повторяться',
    keyValuePropertyDefaultDescription: 'Значения хранятся как текст; повторяющиеся ключи не сохраняются.',
    pageNotFound_title: 'Страница не найдена',
    pageNotFound_subtitle: 'Страницы <strong>«{{pageName}}»</strong> нет',
    componentNotFound_title: 'Нет компонента',
    componentNotFound_subtitle: 'Для этого элемента не задан компонент',
  },
};

type Words = { ru: string; en: string };

/** The console's own words; each entry gives both languages side by side so neither falls behind. */
const CONSOLE_WORDS = {
  labels: {
    navRecording: { ru: 'Запись', en: 'Recording' },
    navServers: { ru: 'Серверы', en: 'Servers' },
    navJournal: { ru: 'Журнал', en: 'Journal' },
    navRetention: { ru: 'Хранение', en: 'Retention' },
    navBots: { ru: 'Боты и уведомления', en: 'Bots and webhooks' },
    RecordingMode: { ru: 'Режимы записи', en: 'Recording modes' },
    MessengerServer: { ru: 'Серверы мессенджера', en: 'Messenger servers' },
    Recording: { ru: 'Записи', en: 'Recordings' },
    Conference: { ru: 'Конференции', en: 'Conferences' },
    User: { ru: 'Пользователи', en: 'Users' },
    AuditEntry: { ru: 'Журнал действий', en: 'Audit log' },
    RetentionPolicy: { ru: 'Сроки хранения', en: 'Retention policies' },
    LegalHold: { ru: 'Запреты удаления', en: 'Legal holds' },
    Webhook: { ru: 'Вебхуки', en: 'Webhooks' },
    BotxBot: { ru: 'Боты Express (BotX)', en: 'Express bots (BotX)' },
    BotxChat: { ru: 'Чаты Express конференций', en: "Conferences' Express chats" },
    BotApiKey: { ru: 'Ключи API для ботов', en: 'Bot API keys' },
  },
  components: {
    LanguageSelector: { availableLanguages: { ru: { ru: 'Русский', en: 'Russian' }, en: { ru: 'English', en: 'English' } } },
    Dashboard: {
      title: { ru: 'Состояние устройства', en: 'Appliance status' },
      unavailable: { ru: 'Не удалось получить состояние; повтор через несколько секунд', en: 'The status could not be loaded; retrying in a few seconds' },
      sfuWorkers: { ru: 'Процессы SFU', en: 'SFU workers' },
      workersUp: { ru: '{{up}} из {{total}} работают', en: '{{up}} of {{total}} up' },
      activeConferences: { ru: 'Идущие конференции', en: 'Active conferences' },
      liveRecordings: { ru: 'Идущие записи', en: 'Recordings under way' },
      processing: { ru: 'Обрабатываются: {{count}}', en: 'Processing: {{count}}' },
      encoder: { ru: 'Кодировщик', en: 'Encoder' },
      diskFree: { ru: 'Свободно на диске записей', en: 'Free on the recordings disk' },
      diskOf: { ru: 'из {{total}}', en: 'of {{total}}' },
      daysLeft: { ru: 'Хватит на дней записи', en: 'Days of recording left' },
      lastWeek: { ru: 'по темпу последних 7 дней: {{bytes}}', en: 'at the rate of the last 7 days: {{bytes}}' },
      noRecentRecordings: { ru: 'нет записей за неделю', en: 'nothing recorded this week' },
      notReported: { ru: 'не сообщается', en: 'not reported' },
      components: { ru: 'Компоненты', en: 'Components' },
      component: { ru: 'Компонент', en: 'Component' },
      state: { ru: 'Состояние', en: 'State' },
      details: { ru: 'Подробности', en: 'Details' },
      ok: { ru: 'работает', en: 'up' },
      down: { ru: 'сбой', en: 'down' },
      failedRecordings: { ru: 'Неудавшиеся записи', en: 'Failed recordings' },
      failureEntries: { ru: 'Сбои в журнале', en: 'Failures in the audit log' },
      recording: { ru: 'Запись', en: 'Recording' },
      startedAt: { ru: 'Начата', en: 'Started' },
      problem: { ru: 'Что случилось', en: 'Problem' },
      at: { ru: 'Когда', en: 'When' },
      action: { ru: 'Событие', en: 'Event' },
      none: { ru: 'Нет', en: 'None' },
    },
    RecordingFiles: {
      title: { ru: 'Файлы', en: 'Files' },
      none: { ru: 'Файлов нет', en: 'No files' },
      kind: { ru: 'Что', en: 'What' },
      name: { ru: 'Файл', en: 'File' },
      size: { ru: 'Размер', en: 'Size' },
      duration: { ru: 'Длительность', en: 'Duration' },
      codecs: { ru: 'Кодеки', en: 'Codecs' },
      download: { ru: 'Скачать', en: 'Download' },
      kinds: {
        video: { ru: 'Видео', en: 'Video' },
        audio: { ru: 'Аудио', en: 'Audio' },
        track: { ru: 'Дорожка', en: 'Track' },
        manifest: { ru: 'Описание дорожек', en: 'Track list' },
      },
      media: { audio: { ru: 'аудио', en: 'audio' }, video: { ru: 'видео', en: 'video' } },
    },
    IssueBotKey: {
      issue: { ru: 'Выпустить ключ', en: 'Issue the key' },
      shownOnce: {
        ru: 'Скопируйте ключ в настройки бота сейчас: устройство хранит только его хеш и больше его не покажет.',
        en: "Copy the key into the bot's settings now: the appliance keeps only its hash and will not show it again.",
      },
    },
  },
  // Breadcrumbs and notices look their words up without the resource: these live at the top.
  actions: {
    download: { ru: 'Скачать файлы', en: 'Download files' },
    repostMessage: { ru: 'Повторить сообщение бота', en: 'Post the bot message again' },
    issueKey: { ru: 'Выпустить ключ', en: 'Issue a key' },
  },
  messages: {
    repostMessageConfirm: {
      ru: 'Recordings Bot ещё раз опубликует в чате конференции сообщение об этой записи со ссылками на файлы.',
      en: "The Recordings Bot posts this recording's message with the download links in the conference chat again.",
    },
    messageReposted: { ru: 'Сообщение опубликовано в чате конференции', en: 'The message is posted in the conference chat' },
    invalidCredentials: { ru: 'Неверный адрес или пароль', en: 'Wrong e-mail address or password' },
    tooManyLoginAttempts: {
      ru: 'Слишком много неудачных попыток входа: вход с этим адресом приостановлен на 15 минут.',
      en: 'Too many failed sign-ins: signing in with this address is paused for 15 minutes.',
    },
    auditorsReadOnly: { ru: 'Аудитор может только просматривать', en: 'Auditors may only look' },
    alreadyTaken: { ru: 'Такое значение уже есть у другой записи', en: 'Another record already has this value' },
    noSuchRecord: { ru: 'Такой записи нет', en: 'No such record' },
    botApiKeyIssued: { ru: 'Ключ выпущен; он показан один раз', en: 'The key is issued; it is shown this once' },
  },
  resources: {
    RecordingMode: {
      properties: {
        name: { ru: 'Название', en: 'Name' },
        isDefault: { ru: 'По умолчанию', en: 'Default' },
        kind: { ru: 'Вид записи', en: 'Kind' },
        width: { ru: 'Ширина, пикс.', en: 'Width, px' },
        height: { ru: 'Высота, пикс.', en: 'Height, px' },
        fps: { ru: 'Кадров в секунду', en: 'Frames per second' },
        videoBitrateKbps: { ru: 'Битрейт видео, кбит/с', en: 'Video bitrate, kbit/s' },
        container: { ru: 'Контейнер', en: 'Container' },
        audioCodec: { ru: 'Аудиокодек', en: 'Audio codec' },
        onlyConsenting: { ru: 'Только согласившихся', en: 'Only consenting participants' },
        createdAt: { ru: 'Создан', en: 'Created' },
        updatedAt: { ru: 'Изменён', en: 'Updated' },
      },
      labels: {
        kind: {
          composite: { ru: 'Общая (все на одном видео)', en: 'Composite' },
          'audio-only': { ru: 'Только звук', en: 'Audio only' },
          'separate-tracks': { ru: 'Отдельные дорожки', en: 'Separate tracks' },
        },
      },
    },
    MessengerServer: {
      properties: {
        id: { ru: 'Идентификатор (claim server)', en: 'Id (the server claim)' },
        name: { ru: 'Название', en: 'Name' },
        kind: { ru: 'Тип', en: 'Kind' },
        tokenKey: { ru: 'Ключ токенов (не показывается; пусто — без изменений)', en: 'Token key (never shown; blank keeps it)' },
        mayControlRecording: { ru: 'Может управлять записью', en: 'May control recording' },
        downloadPolicy: { ru: 'Кто может скачивать', en: 'Who may download' },
        defaultModeId: { ru: 'Режим записи', en: 'Recording mode' },
        createdAt: { ru: 'Добавлен', en: 'Added' },
      },
      labels: {
        kind: { corporate: { ru: 'Корпоративный', en: 'Corporate' }, regional: { ru: 'Региональный', en: 'Regional' } },
        downloadPolicy: {
          'anyone-with-link': { ru: 'Все, у кого есть ссылка', en: 'Anyone with the link' },
          participants: { ru: 'Участники конференции', en: 'The conference participants' },
          'same-server': { ru: 'Пользователи того же сервера', en: 'Users of the same server' },
        },
      },
    },
    Recording: {
      properties: {
        title: { ru: 'Запись', en: 'Recording' },
        conferenceId: { ru: 'Конференция', en: 'Conference' },
        number: { ru: 'Номер', en: 'Number' },
        state: { ru: 'Состояние', en: 'State' },
        startedAt: { ru: 'Начата', en: 'Started' },
        stoppedAt: { ru: 'Остановлена', en: 'Stopped' },
        duration: { ru: 'Длительность', en: 'Duration' },
        stopReason: { ru: 'Причина остановки', en: 'Stopped by' },
        problem: { ru: 'Что случилось', en: 'Problem' },
        modeName: { ru: 'Режим', en: 'Mode' },
        startedBy: { ru: 'Начал', en: 'Started by' },
        stoppedBy: { ru: 'Остановил', en: 'Stopped by' },
        files: { ru: 'Файлы', en: 'Files' },
      },
      labels: {
        state: {
          recording: { ru: 'Идёт запись', en: 'Recording' },
          paused: { ru: 'Пауза', en: 'Paused' },
          processing: { ru: 'Обрабатывается', en: 'Processing' },
          ready: { ru: 'Готова', en: 'Ready' },
          failed: { ru: 'Не удалась', en: 'Failed' },
        },
        stopReason: {
          timer: { ru: 'Кнопка на таймере', en: 'Timer button' },
          menu: { ru: 'Меню', en: 'Menu' },
          leave: { ru: 'Выход с завершением', en: 'Leaving with stop' },
          'all-admins-left': { ru: 'Вышли все администраторы', en: 'All admins left' },
          'controllers-left': { ru: 'Вышел последний администратор, управлявший записью', en: 'The last admin able to control it left' },
          failure: { ru: 'Сбой', en: 'Failure' },
          'disk-full': { ru: 'Кончилось место', en: 'Disk full' },
        },
      },
    },
    RetentionPolicy: {
      properties: {
        name: { ru: 'Название', en: 'Name' },
        scope: { ru: 'Действует на', en: 'Applies to' },
        serverId: { ru: 'Сервер', en: 'Server' },
        modeId: { ru: 'Режим записи', en: 'Recording mode' },
        keepDays: { ru: 'Хранить, дней', en: 'Keep, days' },
        action: { ru: 'По истечении', en: 'On expiry' },
        enabled: { ru: 'Включена', en: 'Enabled' },
        createdAt: { ru: 'Создана', en: 'Created' },
        updatedAt: { ru: 'Изменена', en: 'Updated' },
      },
      labels: {
        scope: { global: { ru: 'Все записи', en: 'All recordings' }, server: { ru: 'Записи сервера', en: "A server's recordings" }, mode: { ru: 'Записи режима', en: "A mode's recordings" } },
        action: { 'delete-files': { ru: 'Удалить файлы, оставить сведения', en: 'Delete the files, keep the record' }, 'delete-recording': { ru: 'Удалить запись целиком', en: 'Delete the recording' } },
      },
    },
    LegalHold: {
      properties: {
        recordingId: { ru: 'Запись', en: 'Recording' },
        reason: { ru: 'Основание', en: 'Reason' },
        placedBy: { ru: 'Установил', en: 'Placed by' },
        placedAt: { ru: 'Установлен', en: 'Placed' },
      },
    },
    Webhook: {
      properties: {
        name: { ru: 'Название', en: 'Name' },
        url: { ru: 'Адрес (URL)', en: 'URL' },
        secret: { ru: 'Секрет подписи (не показывается; пусто — без изменений)', en: 'Signing secret (never shown; blank keeps it)' },
        events: { ru: 'События', en: 'Events' },
        enabled: { ru: 'Включён', en: 'Enabled' },
        createdAt: { ru: 'Создан', en: 'Created' },
        updatedAt: { ru: 'Изменён', en: 'Updated' },
      },
      labels: {
        events: {
          'recording.started': { ru: 'Запись начата', en: 'Recording started' },
          'recording.ready': { ru: 'Запись готова', en: 'Recording ready' },
          'recording.failed': { ru: 'Запись не удалась', en: 'Recording failed' },
        },
      },
    },
    BotxBot: {
      properties: {
        name: { ru: 'Название', en: 'Name' },
        ctsUrl: { ru: 'Адрес сервера Express (CTS)', en: 'Express server (CTS) address' },
        botId: { ru: 'Идентификатор бота', en: 'Bot id' },
        secretKey: { ru: 'Секретный ключ (не показывается; пусто — без изменений)', en: 'Secret key (never shown; blank keeps it)' },
        enabled: { ru: 'Включён', en: 'Enabled' },
        createdAt: { ru: 'Добавлен', en: 'Added' },
      },
    },
    BotxChat: {
      properties: {
        conferenceId: { ru: 'Конференция', en: 'Conference' },
        botxBotId: { ru: 'Бот Express', en: 'Express bot' },
        groupChatId: { ru: 'Чат Express (group_chat_id)', en: 'Express chat (group_chat_id)' },
        createdAt: { ru: 'Добавлен', en: 'Added' },
      },
    },
    BotApiKey: {
      properties: {
        name: { ru: 'Название', en: 'Name' },
        enabled: { ru: 'Действует', en: 'Enabled' },
        createdAt: { ru: 'Выпущен', en: 'Issued' },
        lastUsedAt: { ru: 'Последнее использование', en: 'Last used' },
      },
    },
    Conference: {
      properties: {
        title: { ru: 'Название', en: 'Title' },
        state: { ru: 'Состояние', en: 'State' },
        createdAt: { ru: 'Создана', en: 'Created' },
        endedAt: { ru: 'Завершена', en: 'Ended' },
        createdBy: { ru: 'Создал', en: 'Created by' },
      },
      labels: { state: { active: { ru: 'Идёт', en: 'Active' }, ended: { ru: 'Завершена', en: 'Ended' } } },
    },
    User: {
      properties: {
        name: { ru: 'Имя', en: 'Name' },
        serverId: { ru: 'Сервер', en: 'Server' },
        externalId: { ru: 'Идентификатор на сервере', en: 'Id on the server' },
        lastSeenAt: { ru: 'Последний вход', en: 'Last seen' },
      },
    },
    AuditEntry: {
      properties: {
        at: { ru: 'Когда', en: 'When' },
        action: { ru: 'Событие', en: 'Event' },
        actorName: { ru: 'Кто', en: 'Who' },
        actorUserId: { ru: 'Пользователь', en: 'User' },
        actorServerId: { ru: 'Сервер', en: 'Server' },
        conferenceId: { ru: 'Конференция', en: 'Conference' },
        recordingId: { ru: 'Запись', en: 'Recording' },
        details: { ru: 'Подробности', en: 'Details' },
      },
    },
  },
};

type WordTree = { [key: string]: WordTree | Words };

function isWords(node: WordTree | Words): node is Words {
  return typeof (node as Words).ru === 'string' && typeof (node as Words).en === 'string';
}

function pick(tree: WordTree, language: keyof Words): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tree).map(([key, node]) => [key, isWords(node) ? node[language] : pick(node, language)]));
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = merged[key];
    merged[key] = typeof value === 'object' && typeof existing === 'object' ? merge(existing as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return merged;
}

/**
 * Russian first; English one click away in the language menu. The choice is kept in the browser;
 * the browser's own language is not consulted, so the console opens in Russian.
 */
export const CONSOLE_LOCALE: Locale = {
  language: 'ru',
  availableLanguages: ['ru', 'en'],
  localeDetection: true,
  detection: { order: ['querystring', 'localStorage'], lookupQuerystring: 'lang', caches: ['localStorage'] },
  translations: {
    ru: merge(ADMINJS_RU as Record<string, unknown>, pick(CONSOLE_WORDS as WordTree, 'ru')) as LocaleTranslations,
    en: pick(CONSOLE_WORDS as WordTree, 'en') as LocaleTranslations,
  },
};
