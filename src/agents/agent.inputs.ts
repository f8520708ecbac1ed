import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

/** An operator's request to create an agent (CLI). */
export class CreateAgentInput {
  @IsString()
  @MaxLength(255)
  @Matches(/^[A-Za-z0-9._@+-]+$/, { message: '$property may hold only letters, digits and . _ @ + -' })
  username!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^[^\u0000]*$/, { message: '$property must not contain NUL characters' })
  name?: string;

  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
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
  password!: string;
}

/** Body of `POST /auth/login`. */
export class LoginInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}
