// Passkeys in Debian's Chromium (playwright-core, no browser download), with CDP's virtual WebAuthn authenticator:
// sign in with password + TOTP on the account pages, add a passkey, sign out, sign in with the passkey alone.
// Usage: node passkey-browser.mjs <base url on localhost> <e-mail> <password> <TOTP key (base32)> <screenshot.png>
// WebAuthn accepts `localhost` as a relying party over plain HTTP, not 127.0.0.1.
import { createHmac } from 'node:crypto';
import { chromium } from 'playwright-core';

const [base, email, password, totpKey, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node passkey-browser.mjs <base url> <e-mail> <password> <TOTP key> <screenshot.png>');
  process.exit(2);
}

function totp(key) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const bytes = [];
  for (const c of key.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { bytes.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const hash = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

const fail = (message) => { throw new Error(message); };
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });

  // 1. Password, then the authenticator code.
  await page.goto(`${base}/account/sign-in`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL('**/account/second-factor'), page.click('form[action="/account/sign-in"] button[type=submit]')]);
  await page.fill('input[name=code]', totp(totpKey));
  await Promise.all([page.waitForURL(/\/account$/), page.click('form[action="/account/second-factor"] button[type=submit]')]);
  (await page.textContent('main'))?.includes('Signed in as') || fail('not signed in after password + code');
  console.log('ok: signed in with password and authenticator code');

  // 2. Add a passkey (the page's own script: creation options, navigator.credentials.create, register).
  await page.click('#register-passkey');
  await page.waitForFunction(() => (document.getElementById('passkey-status')?.textContent ?? '').length > 0, null, { timeout: 20000 });
  const added = await page.textContent('#passkey-status');
  added === 'Passkey added.' || fail(`the passkey was not added: ${added}`);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  credentials.length === 1 || fail(`the authenticator holds ${credentials.length} credentials`);
  credentials[0].isResidentCredential || fail('the credential is not discoverable');
  console.log('ok: passkey added (one discoverable credential in the authenticator)');

  // 3. Sign out: the account page is closed.
  await Promise.all([page.waitForURL('**/account/sign-in'), page.click('form[action="/account/sign-out"] button[type=submit]')]);
  const out = await page.evaluate(async () => (await fetch('/account', { headers: { Accept: 'application/json' } })).json());
  out.signedIn === false || fail('still signed in after signing out');
  console.log('ok: signed out');

  // 4. The passkey alone signs in (no e-mail, no password, no code).
  await Promise.all([page.waitForURL(/\/account$/, { timeout: 20000 }), page.click('#passkey-sign-in')]);
  const me = await page.evaluate(async () => (await fetch('/account', { headers: { Accept: 'application/json' } })).json());
  me.signedIn === true || fail(`not signed in with the passkey: ${JSON.stringify(me)} ${dialogs.join(' | ')}`);
  console.log(`ok: signed in with the passkey as ${me.id} (${me.clearance})`);
  const { credentials: after } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  after[0].signCount > credentials[0].signCount || fail('the authenticator was not used');
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
