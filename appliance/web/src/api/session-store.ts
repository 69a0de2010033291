/**
 * The signed-in user's token, under the key where the messenger and the demo sign-in put it.
 * Each tab keeps its own copy (sessionStorage) so that two windows can be two different people;
 * the shared copy (localStorage) signs in the tabs opened later.
 */
const TOKEN_KEY = 'appliance.token';

export const sessionStore = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY),
  save: (token: string): void => {
    sessionStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(TOKEN_KEY, token);
  },
  clear: (): void => {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
  },
};
