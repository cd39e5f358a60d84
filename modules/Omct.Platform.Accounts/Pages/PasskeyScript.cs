namespace Omct.Platform.Accounts.Pages;

/// <summary>The passkey buttons of the sign-in and account pages (WebAuthn's JSON forms of the options and credentials).</summary>
internal static class PasskeyScript
{
    public const string Source = """
        (function () {
          const token = () => document.getElementById('antiforgery').value;
          const post = (url, body) => fetch(url, {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-TOKEN': token() },
            body: JSON.stringify(body || {}),
          });
          const status = (text) => { const p = document.getElementById('passkey-status'); if (p) p.textContent = text; };
          const register = document.getElementById('register-passkey');
          if (register) register.addEventListener('click', async () => {
            try {
              const options = await (await post('/account/passkey/creation-options')).json();
              const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
              const answer = await post('/account/passkey/register', { credential: JSON.stringify(credential.toJSON()), name: 'Passkey' });
              status(answer.ok ? 'Passkey added.' : 'The passkey could not be added.');
            } catch (e) { status('The passkey could not be added: ' + e.message); }
          });
          const signIn = document.getElementById('passkey-sign-in');
          if (signIn) signIn.addEventListener('click', async () => {
            try {
              const options = await (await post('/account/passkey/request-options')).json();
              const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
              const answer = await post('/account/passkey/sign-in', { credential: JSON.stringify(credential.toJSON()) });
              if (answer.ok) { window.location.assign('/account'); } else { alert('The passkey was not accepted.'); }
            } catch (e) { alert('The passkey sign-in failed: ' + e.message); }
          });
        })();
        """;
}
