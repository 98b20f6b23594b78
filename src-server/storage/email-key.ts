/** How emails are compared: trimmed, ignoring case (unique per tenant, and per operator). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
