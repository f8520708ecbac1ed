import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import type { Instant } from '../time';
import { MaxCodePoints, WellFormedText } from '../validation';

/** One day: the platform's shortest key lifetime. */
export const MIN_EXPIRE_SECONDS = 86400;
export const MAX_EXPIRE_SECONDS = 2147483647;
export const MAX_NAME_LENGTH = 255;
export const MAX_DETAIL_LENGTH = 4096;

// PostgreSQL text cannot hold NUL; refusing it here keeps it a 400 instead of a database error.
const NO_NUL = /^[^\u0000]*$/;
const NUL_MESSAGE = '$property must not contain NUL characters';

/** The two free-text fields of a key, shared by create and update. */
@InputType()
abstract class AccesskeyTextInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxCodePoints(MAX_NAME_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  @WellFormedText()
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxCodePoints(MAX_DETAIL_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  @WellFormedText()
  detail?: string | null;
}

/** Body of `POST /v1.0/accesskeys` (frozen: no scopes; REST keys get read and write). */
@InputType('AccesskeyCreateBody')
export class CreateAccesskeyInput extends AccesskeyTextInput {
  /** Lifetime in seconds from creation. */
  @Field(() => Int, { description: "Lifetime in seconds from now. A key created by an access key expires no later than that key (the answer's tmExpire says when)." })
  @IsInt()
  @Min(MIN_EXPIRE_SECONDS)
  @Max(MAX_EXPIRE_SECONDS)
  expire!: number;
}

/** Input of `createAccesskey`: the REST body plus the scopes the new key gets. */
@InputType('CreateAccesskeyInput')
export class CreateAccesskeyWithScopesInput extends CreateAccesskeyInput {
  @Field(() => [String], {
    nullable: true,
    description: 'accesskeys:read, accesskeys:write, accesskeys:verify; default read and write. Only scopes the caller holds; verify only by a super admin.',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  scopes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Make a canary key: it never authorizes anything, and each use is recorded. Default false.' })
  @IsOptional()
  @IsBoolean()
  canary?: boolean | null;
}

/** Body of `PUT /v1.0/accesskeys/{id}` and input of `updateAccesskey`: both fields are replaced. */
@InputType()
export class UpdateAccesskeyInput extends AccesskeyTextInput {}

/** The GraphQL names of the list states; `state` absent means the default list (see accesskey.filter.ts). */
export enum AccesskeyState {
  LIVE = 'live',
  EXPIRED = 'expired',
  DISABLED = 'disabled',
  DELETED = 'deleted',
  ALL = 'all',
}

registerEnumType(AccesskeyState, {
  name: 'AccesskeyState',
  description: 'Which keys a list shows. Expired and disabled overlap: a disabled key past its expiry is in both.',
  valuesConfig: {
    LIVE: { description: 'Not deleted, not disabled, not expired: the keys that authenticate.' },
    EXPIRED: { description: 'Not deleted, expiry reached (disabled or not).' },
    DISABLED: { description: 'Not deleted, disabled (expired or not).' },
    DELETED: { description: 'Deleted.' },
    ALL: { description: 'Every key, deleted ones included.' },
  },
});

/** Argument `filter` of `accesskeys`: every condition given must hold. */
@InputType({ description: 'Every condition given must hold.' })
export class AccesskeyFilter {
  @Field(() => AccesskeyState, {
    nullable: true,
    description: 'Absent: every key not deleted (expired and disabled included), as the list has always shown.',
  })
  state?: AccesskeyState | null;

  @Field(() => String, { nullable: true, description: `Case-insensitive substring of the name, taken literally (% and _ are no wildcards); at most ${MAX_NAME_LENGTH} characters.` })
  nameContains?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only keys expiring strictly before this time.' })
  expiresBefore?: Instant | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only keys never used, or last used strictly before this time (see tmLastUsed).' })
  unusedSince?: Instant | null;
}
