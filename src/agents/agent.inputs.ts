import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MaxCodePoints, WellFormedText } from '../validation';
import { MAX_USERNAME_LENGTH, USERNAME_PATTERN } from './username';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

const NO_NUL = /^[^\u0000]*$/;
const NUL_MESSAGE = '$property must not contain NUL characters';

/** An operator's request to create an agent (CLI). */
export class CreateAgentInput {
  @IsString()
  @MaxCodePoints(MAX_USERNAME_LENGTH)
  @Matches(USERNAME_PATTERN, { message: '$property may hold only letters, digits and . _ @ + -' })
  username!: string;

  @IsOptional()
  @IsString()
  @MaxCodePoints(255)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  @WellFormedText()
  name?: string;

  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  password!: string;

  @IsInt()
  @Min(0)
  @Max(0xffff)
  permission!: number;
}

/** A new password (CLI `agent set-password`). */
export class PasswordInput {
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  password!: string;
}

/** Body of `POST /auth/login`. */
export class LoginInput {
  @IsString()
  @IsNotEmpty()
  @MaxCodePoints(MAX_USERNAME_LENGTH)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}
