/** What an agent's username may hold (checked when an operator creates the agent). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@+-]+$/;
export const MAX_USERNAME_LENGTH = 255;

/**
 * The one spelling-independent form of a username: ASCII letters folded to
 * lower case, nothing else. Usernames are ASCII, so this is all "ignoring case"
 * needs, and it is the same everywhere: here, in the login limiter's key, and in
 * SQL as `lower(username COLLATE "C")`, whatever the database's locale. (A
 * locale-aware `lower()` would also map `İ` or the Kelvin sign `K` onto ASCII, so
 * such spellings would reach an agent while counting as another username.)
 */
export function usernameKey(username: string): string {
  return username.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Whether `username` could name an agent at all; anything else is refused without a query. */
export function isPossibleUsername(username: string): boolean {
  return username.length <= MAX_USERNAME_LENGTH && USERNAME_PATTERN.test(username);
}
