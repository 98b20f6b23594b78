import { z } from 'zod';
import { LIMITS, MacroActions, MacroReply } from '../domain/entities';
import { TicketPriority, TicketStatus, TicketType } from '../domain/enums';
import {
  Email,
  Phone,
  TagList,
  Uuid,
  Website,
  clearable,
  requiredText,
} from '../domain/primitives';

/**
 * Args of every v1 mutation. Strict objects: an unknown member is a bad request, so that a field
 * added later always arrives under a new mutation name and never means two things.
 */

export const NoopArgs = z.strictObject({});

export const CreateTicketArgs = z.strictObject({
  id: Uuid,
  subject: requiredText(LIMITS.subject),
  description: z.string().max(LIMITS.description),
  requesterId: Uuid,
  priority: TicketPriority.optional(),
  type: TicketType.nullable().optional(),
  tags: TagList.optional(),
  assigneeId: Uuid.nullable().optional(),
});

const nonEmpty = (value: object) => Object.values(value).some((v) => v !== undefined);

export const SetTicketFieldsArgs = z.strictObject({
  ticketId: Uuid,
  fields: z
    .strictObject({
      status: TicketStatus.optional(),
      priority: TicketPriority.optional(),
      assigneeId: Uuid.nullable().optional(),
      subject: requiredText(LIMITS.subject).optional(),
      type: TicketType.nullable().optional(),
    })
    .refine(nonEmpty, 'must set at least one field'),
});

export const TagsArgs = z.strictObject({
  ticketId: Uuid,
  tags: TagList.min(1, 'must name at least one tag'),
});

export const AddCommentArgs = z.strictObject({
  id: Uuid,
  ticketId: Uuid,
  body: z.string().trim().min(1, 'must not be empty').max(LIMITS.commentBody),
  public: z.boolean(),
});

export const CreateContactArgs = z.strictObject({
  id: Uuid,
  name: requiredText(LIMITS.name),
  email: clearable(Email).optional(),
  phone: clearable(Phone).optional(),
});

export const UpdateProfileArgs = z.strictObject({
  fields: z
    .strictObject({
      name: requiredText(LIMITS.name).optional(),
      phone: clearable(Phone).optional(),
      title: clearable(requiredText(LIMITS.shortText)).optional(),
      department: clearable(requiredText(LIMITS.shortText)).optional(),
      fax: clearable(Phone).optional(),
    })
    .refine(nonEmpty, 'must set at least one field'),
});

export const SetCommunicationPreferencesArgs = z.strictObject({
  newsletter: z.boolean(),
  productUpdates: z.boolean(),
});

export const UpdateCompanyArgs = z.strictObject({
  fields: z
    .strictObject({
      name: requiredText(LIMITS.name).optional(),
      address: clearable(requiredText(LIMITS.address)).optional(),
      phone: clearable(Phone).optional(),
      website: clearable(Website).optional(),
      seats: z.number().int().min(1).max(100_000).optional(),
    })
    .refine(nonEmpty, 'must set at least one field'),
});

export const DeleteTicketArgs = z.strictObject({ ticketId: Uuid });

export const SaveMacroArgs = z.strictObject({
  id: Uuid,
  title: requiredText(LIMITS.name),
  actions: z
    .strictObject(MacroActions.shape)
    .refine(
      (actions) => !actions.addTags?.some((tag) => actions.removeTags?.includes(tag)),
      'a tag may not be both added and removed',
    ),
  reply: z.strictObject(MacroReply.shape).nullable(),
});

export const DeleteMacroArgs = z.strictObject({ macroId: Uuid });
