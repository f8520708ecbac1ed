import { IsArray, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { MaxCodePoints } from '../validation';

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
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxCodePoints(MAX_DETAIL_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  detail?: string | null;
}

/** Body of `POST /v1.0/accesskeys` (frozen: no scopes; REST keys get read and write). */
@InputType('AccesskeyCreateBody')
export class CreateAccesskeyInput extends AccesskeyTextInput {
  /** Lifetime in seconds from creation. */
  @Field(() => Int)
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
}

/** Body of `PUT /v1.0/accesskeys/{id}` and input of `updateAccesskey`: both fields are replaced. */
@InputType()
export class UpdateAccesskeyInput extends AccesskeyTextInput {}
