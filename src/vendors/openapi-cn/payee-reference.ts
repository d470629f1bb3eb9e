/**
 * The payee module's lookup tables, all INFERRED (only the page names 运营资金来源列表 and 预期付款目的列表
 * survive): operating fund sources and expected payment purposes. What each rail needs and costs is
 * payMethod/list's own table (operations/pay-method.ts), so the list and the payee checks cannot disagree.
 */

export interface CodeName {
  code: string;
  name: string;
}

export const FUND_SOURCES: readonly CodeName[] = [
  { code: 'BUSINESS_INCOME', name: 'Business income' },
  { code: 'SALES_PROCEEDS', name: 'Sales proceeds' },
  { code: 'INVESTMENT', name: 'Investment returns' },
  { code: 'LOAN', name: 'Loan' },
  { code: 'SHAREHOLDER_CAPITAL', name: 'Shareholder capital' },
  { code: 'OTHER', name: 'Other' },
];

export const PAYMENT_PURPOSES: readonly CodeName[] = [
  { code: 'GOODS_TRADE', name: 'Payment for goods' },
  { code: 'SERVICE_TRADE', name: 'Payment for services' },
  { code: 'SALARY', name: 'Salary and payroll' },
  { code: 'LOGISTICS', name: 'Logistics and freight' },
  { code: 'ADVERTISING', name: 'Advertising and marketing' },
  { code: 'OTHER', name: 'Other' },
];
