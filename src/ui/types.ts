/**
 * The control plane's answers as the dashboard reads them: the typed client's declarations
 * (src/client/types.ts), so that the page and the client cannot drift apart. Type-only: nothing of
 * these files reaches the browser.
 */
import type { MagicValues, ScenarioList } from '../client/types.js';

export type {
  CardAction,
  CardDetail,
  CardPage as CardList,
  CardSummary as CardRow,
  ClockChange,
  ClockState as Clock,
  FaultRule,
  Health,
  JournalEntry,
  MagicValues,
  PendingRecord as Pending,
  RanJob,
  SettingRule,
  SimulatedTransaction,
  Tenant,
  TenantList,
  Timeline,
  TimelineEvent,
  WebhookAttempt as Attempt,
  WebhookDelivery as Delivery,
} from '../client/types.js';

export type Scenario = ScenarioList['scenarios'][number];
export type MagicValue = MagicValues['vendors'][string][number];
