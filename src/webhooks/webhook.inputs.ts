import { IsArray, IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MaxCodePoints } from '../validation';
import { DeliveryStatusEnum } from './webhook.types';
import type { DeliveryStatus } from './webhook.types';

export const MAX_DESCRIPTION_LENGTH = 500;
const NO_NUL = /^[^\u0000]*$/;
const NUL_MESSAGE = '$property must not contain NUL characters';

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'An https: URL that resolves to public addresses only.' })
  @IsString()
  url!: string;

  @Field(() => [String], { description: 'Event types to receive (e.g. accesskey.leak_reported); `*` for all.' })
  @IsArray()
  @IsString({ each: true })
  events!: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxCodePoints(MAX_DESCRIPTION_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "Super admins: the customer the endpoint is for (default: the caller's)." })
  @IsOptional()
  @IsString()
  customerId?: string | null;
}

/** Fields left out keep their value. */
@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  url?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  events?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxCodePoints(MAX_DESCRIPTION_LENGTH)
  @Matches(NO_NUL, { message: NUL_MESSAGE })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false enables a disabled endpoint again (its failure streak starts over).' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean | null;
}

@InputType()
export class WebhookDeliveryFilter {
  @Field(() => DeliveryStatusEnum, { nullable: true })
  status?: DeliveryStatus | null;
}
