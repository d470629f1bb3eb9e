/** The KYC proofs' field rules [DOC: add/update KYC ID proof, add/update KYC address proof], on the sandbox clock (T0 = 2026-03-01). */
import { describe, expect, it } from 'vitest';
import { DAY, MERCHANT, addressProofBody, day, finext, idProofBody, newAccount } from '../../helpers/finext.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

async function withAccount() {
  const sb = await makeSandbox();
  const { username } = await newAccount(sb);
  const stored = async () =>
    (await sb.store.lookup('finext.accounts', MERCHANT.tenant, username)) as unknown as {
      idProof: Record<string, unknown> | null;
      addressProof: Record<string, unknown> | null;
    };
  return { sb, api: finext(sb), username, stored };
}

describeStores('finext kyc-proofs', () => {
  describe('finext account/addIDProof', () => {
    it('stores a Passport proof without id_back (optional for Passport only)', async () => {
      const { api, username, stored } = await withAccount();
      expect((await api.call('addIDProof', idProofBody(username))).body).toEqual({ code: 10200, msg: 'ok' });
      expect((await stored()).idProof).toEqual({
        id_type: 'Passport',
        id_number: 'P12345678',
        issued_by: 'US',
        issued_date: '2020-01-15',
        expiration_date: '2035-01-15',
        language: 'English',
        id_front_extension: 'png',
        id_back_extension: null,
      });
    });

    it.each(['Driver License', 'National Id'])('answers 10400 naming id_back for a %s without its back', async (id_type) => {
      const { api, username, stored } = await withAccount();
      const res = await api.call('addIDProof', idProofBody(username, { id_type }));
      expect(res.body).toEqual({ code: 10400, msg: `parameter error: id_back is required for ${id_type}` });
      expect((await stored()).idProof).toBeNull();
    });

    it('stores a Driver License with both sides and their extensions', async () => {
      const { api, username, stored } = await withAccount();
      const res = await api.call('addIDProof', idProofBody(username, { id_type: 'Driver License', id_back: 'aGVsbG8=', id_back_extension: 'jpg' }));
      expect(res.body.code).toBe(10200);
      expect((await stored()).idProof).toMatchObject({ id_type: 'Driver License', id_back_extension: 'jpg' });
    });

    it('answers 10400 naming id_back_extension when it is left out, with or without id_back (the table marks it YES)', async () => {
      const { api, username } = await withAccount();
      for (const id_back of ['aGVsbG8=', undefined]) {
        const res = await api.call('addIDProof', idProofBody(username, { id_back, id_back_extension: undefined }));
        expect(res.body).toEqual({ code: 10400, msg: "parameter error: id_back_extension must have required property 'id_back_extension'" });
      }
    });

    it('accepts a National Id without issued_date and expiration_date', async () => {
      const { api, username, stored } = await withAccount();
      const res = await api.call(
        'addIDProof',
        idProofBody(username, { id_type: 'National Id', issued_date: undefined, expiration_date: undefined, id_back: 'aGVsbG8=', id_back_extension: 'png' }),
      );
      expect(res.body.code).toBe(10200);
      expect((await stored()).idProof).toMatchObject({ issued_date: null, expiration_date: null });
    });

    it.each([
      ['Passport', 'issued_date'],
      ['Passport', 'expiration_date'],
      ['Driver License', 'issued_date'],
      ['Driver License', 'expiration_date'],
    ])("answers 10400 naming %s's missing %s", async (id_type, field) => {
      const { api, username } = await withAccount();
      const res = await api.call('addIDProof', idProofBody(username, { id_type, id_back: 'aGVsbG8=', id_back_extension: 'png', [field]: undefined }));
      expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} is required for ${id_type}` });
    });

    it.each([
      ['issued_date', '2026-02-28', 10200],
      ['issued_date', '2026-03-01', 10400],
      ['issued_date', '2026-03-02', 10400],
      ['expiration_date', '2026-03-02', 10200],
      ['expiration_date', '2026-03-01', 10400],
      ['expiration_date', '2026-02-28', 10400],
    ])("judges %s %s against the sandbox clock's today (2026-03-01): %i", async (field, value, code) => {
      const { api, username } = await withAccount();
      const res = await api.call('addIDProof', idProofBody(username, { [field]: value }));
      expect(res.body.code).toBe(code);
      if (code === 10400) expect(res.body.msg).toBe(`parameter error: ${field} must be ${field === 'issued_date' ? 'before' : 'after'} today`);
    });

    it.each([
      ['id_type', 'Visa'],
      ['id_number', ''],
      ['issued_by', 'USA'],
      ['issued_date', '2020-15-01'],
      ['expiration_date', '15/01/2035'],
      ['language', 'Klingon'],
      ['id_front', 'not base64!'],
      ['id_front_extension', 'jp.g'],
      ['id_back', 'ü'],
      ['id_back_extension', 'x'],
    ])('answers 10400 naming %s when it is %j', async (field, value) => {
      const { api, username, stored } = await withAccount();
      const res = await api.call('addIDProof', idProofBody(username, { id_back: 'aGVsbG8=', id_back_extension: 'png', [field]: value }));
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain(field);
      expect((await stored()).idProof).toBeNull();
    });

    it.each(['id_type', 'id_number', 'issued_by', 'language', 'id_front', 'id_front_extension', 'id_back_extension'])(
      'answers 10400 naming %s when it is missing',
      async (field) => {
        const { api, username } = await withAccount();
        const res = await api.call('addIDProof', idProofBody(username, { [field]: undefined }));
        expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} must have required property '${field}'` });
      },
    );

    it.each(['English', 'Spanish', 'French', 'Arabic', 'Chinese', 'Japanese', 'Russian', 'Portuguese', 'German', 'Italian', 'Hindi', 'Other'])(
      'accepts the documented language %s',
      async (language) => {
        const { api, username } = await withAccount();
        expect((await api.call('addIDProof', idProofBody(username, { language }))).body.code).toBe(10200);
      },
    );

    it("accepts images inline up to Finext's body limit (a 2 MiB front), and answers 10400 in JSON beyond it (16 MiB)", async () => {
      const { api, username, stored } = await withAccount();
      expect((await api.call('addIDProof', idProofBody(username, { id_front: 'A'.repeat(2 * 1024 * 1024) }))).body.code).toBe(10200);
      expect((await stored()).idProof).toMatchObject({ id_front_extension: 'png' });
      const res = await api.call('updateIDProof', idProofBody(username, { id_front: 'A'.repeat(16 * 1024 * 1024) }));
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error' });
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/exceeds the \d+-byte limit/);
    });

    it('answers 10404 for an account the merchant does not have', async () => {
      const { api } = await withAccount();
      expect((await api.call('addIDProof', idProofBody('nobody'))).body).toEqual({ code: 10404, msg: 'account not found' });
    });
  });

  describe('finext account/updateIDProof', () => {
    it('replaces the ID proof on file before submission, with the same rules', async () => {
      const { api, username, stored } = await withAccount();
      await api.ok('addIDProof', idProofBody(username));
      expect((await api.call('updateIDProof', idProofBody(username, { issued_date: '2026-03-01' }))).body.code).toBe(10400);
      expect((await api.call('updateIDProof', idProofBody(username, { id_number: 'P99999999' }))).body.code).toBe(10200);
      expect((await stored()).idProof).toMatchObject({ id_number: 'P99999999' });
    });

    // The update page's example sends issued_by "aaa" and empty images; the add page shows no request, so its table stands.
    it.each([
      ['issued_by', 'aaa', 10200, 10400],
      ['issued_by', 'USA', 10200, 10400],
      ['issued_by', 'U', 10400, 10400],
      ['issued_by', 'U1', 10400, 10400],
      ['id_front', '', 10200, 10400],
      ['id_front', 'not base64!', 10400, 10400],
    ])("takes %s %j on update as its page's example does (%i); add answers %i", async (field, value, onUpdate, onAdd) => {
      const { api, username } = await withAccount();
      expect((await api.call('addIDProof', idProofBody(username, { [field]: value }))).body.code).toBe(onAdd);
      await api.ok('addIDProof', idProofBody(username));
      const res = await api.call('updateIDProof', idProofBody(username, { [field]: value }));
      expect(res.body.code).toBe(onUpdate);
      if (onUpdate === 10400) expect(res.body.msg).toContain(field);
    });
  });

  describe('finext account/addAddressProof', () => {
    it('stores the proof without its optional back', async () => {
      const { sb, api, username, stored } = await withAccount();
      expect((await api.call('addAddressProof', addressProofBody(sb, username))).body).toEqual({ code: 10200, msg: 'ok' });
      expect((await stored()).addressProof).toEqual({
        address_type: 'Utility Bill',
        address_issued_by: 'PG and E',
        address_issued_date: '2026-02-19',
        address_language: 'English',
        address_proof_front_extension: 'jpeg',
        address_proof_back_extension: null,
      });
    });

    it.each([
      ['today', 0, 'ok'],
      ['90 days ago (2025-12-01)', 90, 'ok'],
      ['91 days ago', 91, 'parameter error: address_issued_date must be within the last 90 days'],
      ['tomorrow', -1, 'parameter error: address_issued_date must not be in the future'],
    ])('judges an address_issued_date of %s against the sandbox clock: %s', async (_case, daysAgo, msg) => {
      const { sb, api, username } = await withAccount();
      const res = await api.call('addAddressProof', addressProofBody(sb, username, { address_issued_date: day(T0 - daysAgo * DAY) }));
      expect(res.body).toEqual({ code: msg === 'ok' ? 10200 : 10400, msg });
    });

    it("accepts a proof issued 90 days ago until the end of the sandbox clock's day", async () => {
      const { sb, api, username } = await withAccount();
      await control(sb)
        .post('/clock', { now: T0 + 23 * 3_600_000 })
        .expect(200);
      const res = await api.call('addAddressProof', addressProofBody(sb, username, { address_issued_date: '2025-12-01' }));
      expect(res.body.code).toBe(10200);
    });

    it('answers 10400 naming address_proof_back_extension when the back comes without it, and stores a back with one', async () => {
      const { sb, api, username, stored } = await withAccount();
      const res = await api.call('addAddressProof', addressProofBody(sb, username, { address_proof_back: 'aGVsbG8=' }));
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: address_proof_back_extension is required with address_proof_back' });
      await api.ok('addAddressProof', addressProofBody(sb, username, { address_proof_back: 'aGVsbG8=', address_proof_back_extension: 'pdf' }));
      expect((await stored()).addressProof).toMatchObject({ address_proof_back_extension: 'pdf' });
    });

    it.each([
      'Credit Card Statement',
      'Utility Bill',
      'Bank Statement',
      'Bank Letter',
      'Insurance Policy',
      'Post Office Balance Certificate',
      'Other Government Issued Document',
    ])('accepts the documented address_type %s', async (address_type) => {
      const { sb, api, username } = await withAccount();
      expect((await api.call('addAddressProof', addressProofBody(sb, username, { address_type }))).body.code).toBe(10200);
    });

    it.each([
      ['address_type', 'Phone Bill'],
      ['address_issued_by', ''],
      ['address_issued_date', '2026/02/01'],
      ['address_language', 'english'],
      ['address_proof_front', 'a b c'],
      ['address_proof_front_extension', ''],
    ])('answers 10400 naming %s when it is %j', async (field, value) => {
      const { sb, api, username, stored } = await withAccount();
      const res = await api.call('addAddressProof', addressProofBody(sb, username, { [field]: value }));
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain(field);
      expect((await stored()).addressProof).toBeNull();
    });

    it.each(['address_type', 'address_issued_by', 'address_issued_date', 'address_language', 'address_proof_front', 'address_proof_front_extension'])(
      'answers 10400 naming %s when it is missing',
      async (field) => {
        const { sb, api, username } = await withAccount();
        const res = await api.call('addAddressProof', addressProofBody(sb, username, { [field]: undefined }));
        expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} must have required property '${field}'` });
      },
    );
  });

  describe('finext account/updateAddressProof', () => {
    it('replaces the address proof on file before submission, with the same rules', async () => {
      const { sb, api, username, stored } = await withAccount();
      await api.ok('addAddressProof', addressProofBody(sb, username));
      expect((await api.call('updateAddressProof', addressProofBody(sb, username, { address_issued_date: '2025-11-30' }))).body.code).toBe(10400);
      expect((await api.call('updateAddressProof', addressProofBody(sb, username, { address_type: 'Bank Letter' }))).body.code).toBe(10200);
      expect((await stored()).addressProof).toMatchObject({ address_type: 'Bank Letter' });
    });
  });
});
