import { describe, expect, it } from 'vitest';
import { LILI12, LILI12_MAILED, MERCHANT, SECOND, accountBody, finext } from '../../helpers/finext.js';
import { T0, makeSandbox, describeStores } from '../../helpers/sandbox.js';

describeStores('finext accounts', () => {
  describe('finext account/create', () => {
    it('creates an account and answers its username and the card_id reserved for it', async () => {
      const sb = await makeSandbox();
      const body = accountBody({ username: 'grace1' });
      const res = await finext(sb).call('createAccount', body);
      expect(res.body).toEqual({ code: 10200, msg: 'ok', data: { username: 'grace1', card_id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
      expect(await sb.store.lookup('finext.accounts', MERCHANT.tenant, 'grace1')).toMatchObject({ kycState: 'NONE', createdAt: T0 });
      expect(await sb.store.lookup('finext.cards', MERCHANT.tenant, res.body.data.card_id)).toMatchObject({
        state: 'AWAITING_KYC',
        kit_number: '2000000003',
        username: 'grace1',
      });
    });

    it('shows the new account in getAccountDetails with kyc_status 0 and its card awaiting KYC (op_status 0)', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const body = accountBody({ username: 'grace2', middle_name: 'B', secondary_address: 'Suite 5' });
      const { card_id } = await api.ok('createAccount', body);
      const { api_key: _k, ...profile } = { api_key: 1, ...body };
      expect(await api.details('grace2')).toEqual({
        ...profile,
        kyc_status: 0,
        kyc_reject_reason: '',
        cards: [{ card_id, kit_number: '2000000003', op_status: 0, card_type: 1, card_level: 1, balance: '0.00' }],
      });
    });

    it('stores the optional middle_name and secondary_address as null when they are left out', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      await api.ok('createAccount', accountBody({ username: 'grace3' }));
      expect(await api.details('grace3')).toMatchObject({ middle_name: null, secondary_address: null });
    });

    it.each(['username', 'email', 'mobile_number'])('answers 10409 when %s is already used by another account of the merchant', async (field) => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const first = accountBody();
      await api.ok('createAccount', first);
      const value = field === 'email' ? String(first.email).toUpperCase() : first[field];
      const res = await api.call('createAccount', accountBody({ [field]: value }));
      expect(res.body).toEqual({ code: 10409, msg: `account already exists: ${field} already exists` });
      expect(await sb.store.read('finext.accounts', MERCHANT.tenant)).toHaveLength(3);
    });

    it('lets the other merchant create an account with a username the first merchant uses', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, SECOND).call('createAccount', accountBody({ username: LILI12.username }));
      expect(res.body.code).toBe(10200);
      expect(await sb.store.lookup('finext.accounts', SECOND.tenant, 'lili12')).toMatchObject({ kycState: 'NONE' });
      expect(await sb.store.lookup('finext.accounts', MERCHANT.tenant, 'lili12')).toMatchObject({ kycState: 'APPROVED' });
    });

    it.each([
      ['first_name', 'Abcdefghijklm', '13 letters'],
      ['first_name', 'Ann-Marie', 'a hyphen'],
      ['middle_name', 'Abcdefghijklm', '13 letters'],
      ['last_name', "O'Brien", 'an apostrophe'],
      ['last_name', '', 'empty'],
      ['username', 'abcdefghijk', '11 characters'],
      ['username', 'ada_1', 'an underscore'],
      ['title', 'Dr', 'not Mr, Mrs or Ms'],
      ['email', 'not-an-email', 'not an email'],
      ['mobile_number', '1234567890123456', '16 digits'],
      ['mobile_number', '+14155550000', 'a plus sign'],
      ['gender', 'Other', 'not Male or Female'],
      ['card_holder_name', 'Ada Augusta King Lovelace', '24 characters'],
      ['card_holder_name', 'Ada.Lovelace', 'a dot'],
      ['country_code', 'USA', 'three letters'],
      ['country_code', 'us', 'lower case'],
      ['date_of_birth', '10/12/1990', 'not YYYY-MM-DD'],
      ['calling_code', '+1', 'a plus sign'],
      ['calling_country_code', 'usa', 'not ISO-2'],
      ['address', '12 Market St; Apt 4', 'a semicolon'],
      ['card_type', 4, 'not 1, 2 or 3'],
      ['card_level', 3, 'not 1 or 2'],
    ])('answers 10400 naming %s when it is %j (%s)', async (field, value, _why) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('createAccount', accountBody({ [field]: value }));
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain(field);
      expect(await sb.store.read('finext.accounts', MERCHANT.tenant)).toHaveLength(2);
    });

    // username, part of the sign, is checked by authentication first (auth-and-transport.test.ts).
    it.each([
      'first_name',
      'last_name',
      'title',
      'email',
      'mobile_number',
      'gender',
      'card_holder_name',
      'country_code',
      'country',
      'date_of_birth',
      'calling_code',
      'calling_country_code',
      'state',
      'city',
      'postal_code',
      'address',
      'card_type',
      'card_level',
    ])('answers 10400 naming %s when it is missing', async (field) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('createAccount', accountBody({ [field]: undefined }));
      expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} must have required property '${field}'` });
    });

    it('accepts an address with every documented character: letters, digits, spaces and #.-()/,', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('createAccount', accountBody({ address: 'Flat 4-B (North), 12/14 St. Mary #2' }));
      expect(res.body.code).toBe(10200);
    });

    it("accepts a holder who turns 18 on the sandbox clock's day (2008-03-01 on 2026-03-01)", async () => {
      const sb = await makeSandbox();
      expect((await finext(sb).call('createAccount', accountBody({ date_of_birth: '2008-03-01' }))).body.code).toBe(10200);
    });

    it('answers 10400 for a holder who turns 18 tomorrow, judged by the sandbox clock', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('createAccount', accountBody({ date_of_birth: '2008-03-02' }));
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: date_of_birth must be at least 18 years ago' });
      expect(res.headers['x-sandbox-diagnostic']).toContain('under 18 on 2026-03-01 (sandbox clock)');
    });

    it.each([
      ['1', 'US'],
      ['91', 'IN'],
      ['44', 'GB'],
    ])('accepts calling_code %s with calling_country_code %s', async (calling_code, calling_country_code) => {
      const sb = await makeSandbox();
      expect((await finext(sb).call('createAccount', accountBody({ calling_code, calling_country_code }))).body.code).toBe(10200);
    });

    it("answers 10400 naming calling_code when it is not calling_country_code's (91 for US)", async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('createAccount', accountBody({ calling_code: '91', calling_country_code: 'US' }));
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: calling_code does not match calling_country_code US' });
      expect(res.headers['x-sandbox-diagnostic']).toContain("calling_code 91 is not US's (1)");
    });
  });

  describe('finext account/getAccountDetails', () => {
    it('answers lili12\'s profile, kyc_status 2, its active card with balance "0.00" and the mailed one the activate example needs', async () => {
      const sb = await makeSandbox();
      const data = await finext(sb).details(LILI12.username);
      expect(data).toMatchObject({ username: 'lili12', email: 'lili12@example.com', card_type: 1, card_level: 1, kyc_status: 2, kyc_reject_reason: '' });
      expect(data.cards).toEqual([
        { card_id: LILI12.card_id, kit_number: LILI12.kit_number, op_status: 6, card_type: 1, card_level: 1, balance: '0.00' },
        { card_id: LILI12_MAILED.card_id, kit_number: LILI12_MAILED.kit_number, op_status: 10, card_type: 1, card_level: 1, balance: '0.00' },
      ]);
    });

    it('answers 10404 for an account of another merchant', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, SECOND).call('getAccountDetails', { username: LILI12.username });
      expect(res.body).toEqual({ code: 10404, msg: 'account not found' });
    });

    it('answers 10400 for a username that breaks the rule (not alphanumeric)', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('getAccountDetails', { username: 'lili-12' });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('username');
    });
  });
});
