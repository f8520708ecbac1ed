import { IsNotEmpty, IsString, Matches } from 'class-validator';
import { MaxCodePoints, WellFormedText } from '../validation';

export class CreateCustomerInput {
  @IsString()
  @IsNotEmpty()
  @MaxCodePoints(255)
  @Matches(/^[^\u0000]*$/, { message: '$property must not contain NUL characters' })
  @WellFormedText()
  name!: string;
}
