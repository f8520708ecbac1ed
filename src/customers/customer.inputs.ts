import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class CreateCustomerInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[^\u0000]*$/, { message: '$property must not contain NUL characters' })
  name!: string;
}
