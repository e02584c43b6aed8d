/**
 * Errors in the awsJson1_0 shape, so the SDK raises its own exception classes: it reads the type from
 * `__type` (namespace prefix stripped) or the x-amzn-ErrorType header, the message from `Message`, and copies
 * the modelled members (Reason, ResourceType, ResourceId, Fields, RequestId) onto the exception.
 * The service model declares no HTTP codes, so client faults answer 400 and server faults 500.
 */

export const errorNames = [
  "AccessDeniedException",
  "ConflictException",
  "InternalServerException",
  "ResourceNotFoundException",
  "ServiceQuotaExceededException",
  "ThrottlingException",
  "ValidationException",
] as const;
export type ErrorName = (typeof errorNames)[number];

/** Not part of the model (the SDK falls back to its base exception), answered by AWS for unknown targets. */
export type ProtocolErrorName = "UnknownOperationException" | "SerializationException";

export type ResourceType =
  | "configuration-set"
  | "event-destination"
  | "phone-number"
  | "sender-id"
  | "opt-out-list"
  | "opted-out-number"
  | "registration"
  | "message";

export type ErrorMembers = {
  Reason?: string;
  ResourceType?: ResourceType;
  ResourceId?: string;
  Fields?: { Name: string; Message: string }[];
};

export class AwsError extends Error {
  constructor(
    readonly type: ErrorName | ProtocolErrorName,
    message: string,
    readonly members: ErrorMembers = {},
  ) {
    super(message);
    this.name = type;
  }

  get status(): 400 | 500 {
    return this.type === "InternalServerException" ? 500 : 400;
  }

  body(requestId: string): Record<string, unknown> {
    return {
      __type: `com.amazonaws.pinpointsmsvoicev2#${this.type}`,
      Message: this.message,
      ...this.members,
      ...(this.type === "InternalServerException" ? { RequestId: requestId } : {}),
    };
  }
}

export const notFound = (resourceType: ResourceType, resourceId: string) =>
  new AwsError("ResourceNotFoundException", `No ${resourceType} found for ${resourceId}`, {
    ResourceType: resourceType,
    ResourceId: resourceId,
  });

export const alreadyExists = (resourceType: ResourceType, resourceId: string) =>
  new AwsError("ConflictException", `The ${resourceType} ${resourceId} already exists`, {
    Reason: "RESOURCE_ALREADY_EXISTS",
    ResourceType: resourceType,
    ResourceId: resourceId,
  });

export const invalid = (field: string, message: string, reason = "INVALID_PARAMETER") =>
  new AwsError("ValidationException", `${field}: ${message}`, {
    Reason: reason,
    Fields: [{ Name: field, Message: message }],
  });
