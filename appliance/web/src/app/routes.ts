const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Route = { name: 'sign-in' } | { name: 'list' } | { name: 'conference'; id: string };

/** The client's addresses: `#/` the list, `#/c/<id>` a conference (the link to share), `#/sign-in`. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/sign-in') return { name: 'sign-in' };
  const conference = /^\/c\/([^/]+)$/.exec(path);
  if (conference && UUID.test(conference[1]!)) return { name: 'conference', id: conference[1]!.toLowerCase() };
  return { name: 'list' };
}

export const conferenceHash = (id: string): string => `#/c/${id}`;
