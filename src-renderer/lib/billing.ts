/**
 * The payment processor's customer portal. Billing is entirely the processor's: the app only links
 * there and never asks for or stores card details. Deployments set their own portal's address here.
 */
export const BILLING_PORTAL_URL = 'https://billing.helpdesk.example/';
