import { ulid } from "ulid";
import { z } from "zod";
import { useCompanyId } from "../actor";
import { fn } from "../fn";
import * as Password from "./password";
import { UserEntity } from "./user.entity";

export const Role = z.enum(["admin", "manager", "user"]);

export const create = fn(
  z.object({
    email: z.email().transform((email) => email.toLowerCase()),
    firstName: z.string().trim().min(1).max(80),
    lastName: z.string().trim().min(1).max(80),
    role: Role,
    agencyIds: z.array(z.string()).min(1),
    password: z.string().min(12).max(200),
    mustChangePassword: z.boolean().default(true),
  }),
  async (input) => {
    const userId = ulid();
    await UserEntity.create({
      companyId: useCompanyId(),
      userId,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      role: input.role,
      agencyIds: input.agencyIds,
      passwordHash: await Password.hash(input.password),
      mustChangePassword: input.mustChangePassword,
    }).go();
    return userId;
  },
);

export const fromEmail = fn(
  z.email().transform((email) => email.toLowerCase()),
  async (email) => {
    const result = await UserEntity.query.byEmail({ companyId: useCompanyId(), email }).go();
    return result.data[0];
  },
);
