import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One successor per key (issue 15 §3): a rotated key cannot be rotated again,
 * and the database holds that even when two rotations race.
 *
 * Before this, two concurrent rotations could each make a successor. Such
 * extra successors stay (they are working keys), but only the first one made
 * keeps the link to the old key; the later ones lose `rotated_from_id`, which
 * the index could not hold otherwise.
 */
export class OneSuccessorPerKey1766150000000 implements MigrationInterface {
  name = 'OneSuccessorPerKey1766150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE accesskeys s SET rotated_from_id = NULL
       WHERE s.rotated_from_id IS NOT NULL
         AND EXISTS (
           SELECT 1 FROM accesskeys e
            WHERE e.rotated_from_id = s.rotated_from_id AND (e.tm_create, e.id) < (s.tm_create, s.id)
         )`);
    await q.query('CREATE UNIQUE INDEX ux_accesskeys_rotated_from ON accesskeys (rotated_from_id) WHERE rotated_from_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ux_accesskeys_rotated_from');
  }
}
