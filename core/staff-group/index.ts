export * as StaffGroup from "./staff-group";
