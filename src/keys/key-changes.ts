/**
 * Told when a key's token may stop (or start) working here, after the change
 * commits. The authentication cache implements it (wired in app/); other
 * replicas hear the same change from the database.
 */
export interface KeyChanges {
  keyChanged(tokenHash: string): void;
}
