import type { TicketPriority, TicketStatus, TicketType } from '../../src-shared/domain/enums';

export const FIRST_NAMES = [
  'Amara',
  'Ben',
  'Chen',
  'Dana',
  'Elif',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kavya',
  'Liam',
  'Mei',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoe',
] as const;

export const LAST_NAMES = [
  'Adeyemi',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Varga',
] as const;

export const COMPANIES = [
  'northwind.example',
  'contoso.example',
  'fabrikam.example',
  'tailspin.example',
  'wingtip.example',
  'adventure-works.example',
  'litware.example',
  'proseware.example',
] as const;

/** Subject templates; `#` becomes a number. */
export const SUBJECTS = [
  'Printer on floor # keeps jamming',
  'Cannot log in to the customer portal',
  'Invoice # shows the wrong amount',
  'VPN disconnects every # minutes',
  'Refund request for order #',
  'Laptop will not boot after update',
  'Email attachments over # MB bounce',
  'Need access to the shared drive for project #',
  'Scanner saves blank pages',
  'Password reset link expired',
  'Wi-Fi in meeting room # is down',
  'Delivery # arrived damaged',
  'Phone system drops calls after # seconds',
  'New starter onboarding: # accounts needed',
  'Monitor flickers on docking station',
  'Duplicate charge on card ending #',
  'App crashes when exporting report #',
  'Cannot install the desktop client',
  'Calendar invites arrive twice',
  'Service technician did not arrive for visit #',
] as const;

export const DESCRIPTION_SENTENCES = [
  'This started this morning and affects the whole team.',
  'I already tried restarting, which did not help.',
  'It worked fine until last week.',
  'Please treat this as urgent, we have a deadline on Friday.',
  'Screenshots are available on request.',
  'The error message says "unexpected response from server".',
  'Two colleagues see the same thing.',
  'We are on the standard plan.',
  'I can be reached by phone all afternoon.',
  'The issue comes and goes, mostly after lunch.',
] as const;

export const REPLIES = [
  'Thanks for reporting this, I am looking into it now.',
  'Could you tell me which version you are running?',
  'I have escalated this to our second-line team.',
  'A technician is booked for tomorrow morning.',
  'That fixed it, thank you!',
  'Still happening here, unfortunately.',
  'I have issued the refund; it should show within 5 working days.',
  'Could you try clearing the cache and signing in again?',
  'We are tracking this as a known issue.',
  'Following up: is this still a problem for you?',
  'Internal note: customer is on a legacy contract, check before offering credit.',
  "Internal note: same root cause as last month's outage.",
] as const;

export const TAGS = [
  'vip',
  'billing',
  'printer',
  'network',
  'hardware',
  'software',
  'onboarding',
  'refund',
  'bug',
  'access',
  'email',
  'phone',
  'field-visit',
  'follow-up',
  'escalated',
] as const;

export const STATUS_WEIGHTS: ReadonlyArray<readonly [TicketStatus, number]> = [
  ['new', 10],
  ['open', 30],
  ['pending', 20],
  ['on_hold', 5],
  ['solved', 20],
  ['closed', 15],
];

export const PRIORITY_WEIGHTS: ReadonlyArray<readonly [TicketPriority, number]> = [
  ['low', 20],
  ['normal', 50],
  ['high', 22],
  ['urgent', 8],
];

export const TYPE_WEIGHTS: ReadonlyArray<readonly [TicketType | null, number]> = [
  ['question', 35],
  ['incident', 35],
  ['problem', 10],
  ['task', 15],
  [null, 5],
];
