// Opens the GraphiQL IDE the host serves at /graphql in Debian's Chromium (driven by playwright-core; no
// browser is downloaded), sets an API key in the Headers tab, reloads the schema, checks that the Docs pane
// lists Query, runs a query and checks its answer, and saves a screenshot.
//
//   node graphiql-browser.mjs <graphql-url> <api-key> <screenshot.png>
//
// Environment: CHROMIUM (default /usr/bin/chromium). Exit status 0 when every step passed; otherwise 1 with
// the failed step on stderr (and a screenshot of the page as it was, next to the requested one).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [url, apiKey, screenshot] = process.argv.slice(2);
if (!url || !apiKey || !screenshot) {
  console.error('usage: node graphiql-browser.mjs <graphql-url> <api-key> <screenshot.png>');
  process.exit(2);
}

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM)`);
  process.exit(1);
}

mkdirSync(dirname(screenshot), { recursive: true });
const step = (name) => console.log(`step: ${name}`);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // root in CI: no sandbox; nothing in the background that would reach the network
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

// The value of the CodeMirror editor inside `selector` (GraphiQL 3 uses CodeMirror 5).
const setEditor = (selector, value) => page.evaluate(([s, v]) => {
  const editor = document.querySelector(`${s} .CodeMirror`);
  if (!editor || !editor.CodeMirror) throw new Error(`no editor at ${s}`);
  editor.CodeMirror.setValue(v);
}, [selector, value]);

try {
  step(`open ${url}`);
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });

  step('set the API key in the Headers tab');
  await page.getByRole('button', { name: 'Headers' }).click();
  // The initial (anonymous) introspection has answered: in Production it is refused.
  await page.waitForTimeout(500);
  await setEditor('.graphiql-editor-tool .graphiql-editor:not(.hidden)', JSON.stringify({ 'X-Api-Key': apiKey }, null, 2));

  step('reload the schema with the key');
  // GraphiQL takes the Headers tab's text after a debounce: re-fetch until the request carries the key.
  let answer;
  for (let attempt = 1; !answer; attempt++) {
    const introspection = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST'
      && (r.request().postData() || '').includes('IntrospectionQuery') && r.request().headers()['x-api-key'] === apiKey, { timeout: 3_000 });
    await page.getByRole('button', { name: /Re-fetch GraphQL schema/i }).click();
    try {
      answer = await (await introspection).json();
    } catch (error) {
      if (attempt >= 10) throw error;
    }
  }
  if (!answer.data || !answer.data.__schema) throw new Error(`introspection answered ${JSON.stringify(answer).slice(0, 500)}`);

  step('the Docs pane lists Query');
  await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().waitFor({ timeout: 15_000 });

  step('run a query');
  await setEditor('.graphiql-query-editor', '{\n  me {\n    role\n    clearance\n  }\n}\n');
  await page.getByRole('button', { name: /Execute query/i }).click();
  await page.locator('.result-window').getByText('"ADMIN"').waitFor({ timeout: 15_000 });

  step('screenshot');
  await docs.getByText('Query', { exact: true }).first().waitFor();
  await page.screenshot({ path: screenshot });
  console.log(`ok: GraphiQL loaded the schema with the key, Docs list Query, the query answered; screenshot ${screenshot}`);
  if (problems.length) console.log(problems.join('\n'));
  await browser.close();
} catch (error) {
  console.error(`failed: ${error.message}`);
  if (problems.length) console.error(problems.join('\n'));
  try { await page.screenshot({ path: screenshot.replace(/\.png$/, '-failed.png') }); } catch { /* the page is gone */ }
  await browser.close();
  process.exit(1);
}
