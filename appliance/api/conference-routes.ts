import type { PromptAnswer, StopControl } from '../domain/index.ts';
import { CHAT_TEXT_MAX_LENGTH, TITLE_MAX_LENGTH } from '../domain/index.ts';
import type { ConferenceService } from '../conferences/conference-service.ts';
import type { DownloadGate } from '../access/download-gate.ts';
import type { ApiRoute } from './api-route.ts';
import { route } from './api-route.ts';

const CONTROL = [403, 404, 409];

function object(properties: Record<string, unknown>, required: string[] = []) {
  return { type: 'object', properties, required, additionalProperties: false };
}

const conferenceCommand = (
  path: string,
  summary: string,
  run: (conferences: ConferenceService, actor: Parameters<ConferenceService['join']>[0], id: string) => Promise<unknown>,
) => (conferences: ConferenceService) =>
  route({
    method: 'post',
    path: `/conferences/:conferenceId/${path}`,
    summary,
    tag: path.startsWith('recording') ? 'recording' : 'conferences',
    body: object({}),
    success: { status: 200, description: 'the conference as the caller now sees it' },
    refusals: CONTROL,
    handler: ({ actor, params }) => run(conferences, actor, params.conferenceId!),
  });

/** `gate` shows each reader of a chat the bot's links freshly signed once the posted ones run out. */
export function conferenceRoutes(conferences: ConferenceService, gate: Pick<DownloadGate, 'withWorkingLinks'>): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/me',
      summary: 'The signed-in user and their server',
      tag: 'identity',
      success: { status: 200, description: 'the user' },
      handler: async ({ actor }) => ({ userId: actor.userId, name: actor.name, server: actor.server }),
    }),
    route({
      method: 'get',
      path: '/conferences',
      summary: 'The caller\'s conferences: active, and completed («Завершенные»)',
      tag: 'conferences',
      success: { status: 200, description: '{ active, completed }' },
      handler: ({ actor }) => conferences.listConferences(actor),
    }),
    route<{ title: string }>({
      method: 'post',
      path: '/conferences',
      summary: 'Create a conference; its creator becomes its admin',
      tag: 'conferences',
      body: object({ title: { type: 'string', minLength: 1, maxLength: TITLE_MAX_LENGTH } }, ['title']),
      success: { status: 201, description: 'the new conference' },
      handler: ({ actor, body }) => conferences.createConference(actor, body.title),
    }),
    route({
      method: 'get',
      path: '/conferences/:conferenceId',
      summary: 'A conference with its participants, live recording and timer, and the caller\'s pending question',
      tag: 'conferences',
      success: { status: 200, description: 'the conference' },
      refusals: [404],
      handler: ({ actor, params }) => conferences.getConference(actor, params.conferenceId!),
    }),
    conferenceCommand('join', 'Join (or rejoin) a conference; during a recording the caller is asked for consent', (c, a, id) => c.join(a, id))(conferences),
    route<{ stopRecording?: boolean }>({
      method: 'post',
      path: '/conferences/:conferenceId/leave',
      summary: 'Leave a conference; with stopRecording the recording ends first («Завершить запись»)',
      tag: 'conferences',
      body: object({ stopRecording: { type: 'boolean', default: false } }),
      success: { status: 200, description: 'the conference as the caller now sees it' },
      refusals: CONTROL,
      handler: ({ actor, params, body }) => conferences.leave(actor, params.conferenceId!, body.stopRecording ?? false),
    }),
    route<{ userId: string }>({
      method: 'post',
      path: '/conferences/:conferenceId/admins',
      summary: 'Make a participant an admin («Сделать администратором»)',
      tag: 'conferences',
      body: object({ userId: { type: 'string', format: 'uuid' } }, ['userId']),
      success: { status: 200, description: 'the conference as the caller now sees it' },
      refusals: CONTROL,
      handler: ({ actor, params, body }) => conferences.makeAdmin(actor, params.conferenceId!, body.userId),
    }),
    conferenceCommand('recording/start', 'Start recording («Начать запись»); admins only', (c, a, id) => c.startRecording(a, id))(conferences),
    conferenceCommand('recording/pause', 'Pause the recording', (c, a, id) => c.pauseRecording(a, id))(conferences),
    conferenceCommand('recording/resume', 'Resume the paused recording', (c, a, id) => c.resumeRecording(a, id))(conferences),
    route<{ control?: StopControl }>({
      method: 'post',
      path: '/conferences/:conferenceId/recording/stop',
      summary: 'Stop the recording from the timer or from the menu («Остановить запись»)',
      tag: 'recording',
      body: object({ control: { type: 'string', enum: ['timer', 'menu'], default: 'menu' } }),
      success: { status: 200, description: 'the conference as the caller now sees it' },
      refusals: CONTROL,
      handler: ({ actor, params, body }) => conferences.stopRecording(actor, params.conferenceId!, body.control ?? 'menu'),
    }),
    route({
      method: 'get',
      path: '/conferences/:conferenceId/recordings',
      summary: 'Every recording of the conference with its state and recorded time',
      tag: 'recording',
      success: { status: 200, description: 'recordings, oldest first' },
      refusals: [403, 404],
      handler: ({ actor, params }) => conferences.listRecordings(actor, params.conferenceId!),
    }),
    route<{ answer: PromptAnswer }>({
      method: 'post',
      path: '/conferences/:conferenceId/prompt',
      summary: 'Answer the recording question: agree («Согласен на запись») or leave («Покинуть конференцию»)',
      tag: 'recording',
      body: object({ answer: { type: 'string', enum: ['agree', 'leave'] } }, ['answer']),
      success: { status: 200, description: 'the conference as the caller now sees it' },
      refusals: [404, 409],
      handler: ({ actor, params, body }) => conferences.answerPrompt(actor, params.conferenceId!, body.answer),
    }),
    route<Record<string, never>, { after?: string; limit: number }>({
      method: 'get',
      path: '/conferences/:conferenceId/chat',
      summary: "The conference chat, kept after the conference ends; participants only. The bot's expired links come freshly signed to those the download rule lets in",
      tag: 'chat',
      query: object({ after: { type: 'string', format: 'date-time' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 } }),
      success: { status: 200, description: 'messages, oldest first' },
      refusals: [403, 404],
      handler: async ({ actor, params, query }) => gate.withWorkingLinks(actor, params.conferenceId!, await conferences.readChat(actor, params.conferenceId!, query)),
    }),
    route<{ text: string }>({
      method: 'post',
      path: '/conferences/:conferenceId/chat',
      summary: 'Write in the conference chat',
      tag: 'chat',
      body: object({ text: { type: 'string', minLength: 1, maxLength: CHAT_TEXT_MAX_LENGTH } }, ['text']),
      success: { status: 201, description: 'the message' },
      refusals: [403, 404],
      handler: ({ actor, params, body }) => conferences.postChatMessage(actor, params.conferenceId!, body.text),
    }),
  ];
}
