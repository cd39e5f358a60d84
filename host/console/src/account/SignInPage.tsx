import { Alert, Anchor, Button, Container, Divider, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitcher } from '../shell/LanguageSwitcher';
import { signInWithPasskey } from './passkey';
import { postAccount, safeReturnTo } from './session';
import { useSession } from './SessionProvider';

type Step = 'password' | 'second-factor';

/**
 * Sign-in through the Accounts module's JSON endpoints: e-mail and password, then the second factor (a code from the
 * authenticator app or a recovery code); or a passkey; or the organisation's OpenID Connect provider when configured.
 * Afterwards the person goes back to returnTo (a path inside the console).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { status, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (status?.signedIn) {
      navigate(returnTo, { replace: true });
    }
  }, [status, navigate, returnTo]);

  const complete = async () => {
    await refresh(); // the antiforgery token is bound to the person: fetch the new one
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch {
      setError(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container component="main" size={460} py="xl">
      <Group justify="flex-end" mb="md">
        <LanguageSwitcher />
      </Group>
      <Paper withBorder shadow="sm" p="xl" radius="md">
        <Stack>
          <Title order={1} size="h2">
            {step === 'password' ? t('signIn.title') : t('secondFactor.title')}
          </Title>
          {params.get('ended') && step === 'password' && (
            <Alert color="yellow" role="status" data-testid="session-ended">
              {t('signIn.sessionEnded')}
            </Alert>
          )}
          {params.get('signedOut') && step === 'password' && (
            <Alert color="blue" role="status">
              {t('signIn.signedOut')}
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert" data-testid="sign-in-error">
              {error}
            </Alert>
          )}
          {step === 'password' ? (
            <PasswordStep
              busy={busy}
              onSubmit={(email, password) =>
                run(async () => {
                  const answer = await postAccount('/account/sign-in', { email, password });
                  if (answer.status === 'SIGNED_IN') {
                    await complete();
                  } else if (answer.status === 'SECOND_FACTOR_REQUIRED') {
                    setStep('second-factor');
                  } else {
                    setError(t('signIn.refused'));
                  }
                })
              }
              onPasskey={() =>
                run(async () => {
                  const outcome = await signInWithPasskey();
                  if (outcome === 'SIGNED_IN') {
                    await complete();
                  } else {
                    setError(t(outcome === 'UNSUPPORTED' ? 'signIn.passkeyUnsupported' : 'signIn.passkeyFailed'));
                  }
                })
              }
              openIdConnect={status?.openIdConnect ?? null}
            />
          ) : (
            <SecondFactorStep
              busy={busy}
              onSubmit={(field, value) =>
                run(async () => {
                  const answer = await postAccount('/account/second-factor', { [field]: value });
                  if (answer.status === 'SIGNED_IN') {
                    await complete();
                  } else {
                    setError(t('secondFactor.refused'));
                  }
                })
              }
              onRestart={() => {
                setError(null);
                setStep('password');
              }}
            />
          )}
        </Stack>
      </Paper>
    </Container>
  );
}

function PasswordStep(props: {
  busy: boolean;
  onSubmit: (email: string, password: string) => void;
  onPasskey: () => void;
  openIdConnect: { displayName: string; signInUrl: string } | null;
}) {
  const { t } = useTranslation();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (value.trim() ? null : t('signIn.required')),
      password: (value) => (value ? null : t('signIn.required')),
    },
  });
  return (
    <Stack>
      <form onSubmit={form.onSubmit((values) => props.onSubmit(values.email.trim(), values.password))} noValidate>
        <Stack>
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username webauthn"
            required
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('signIn.password')}
            visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
            autoComplete="current-password"
            required
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={props.busy}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
      <Divider label={t('signIn.or')} labelPosition="center" />
      <Button variant="default" onClick={props.onPasskey} disabled={props.busy}>
        {t('signIn.passkey')}
      </Button>
      {props.openIdConnect && (
        <Button component="a" variant="default" href={props.openIdConnect.signInUrl}>
          {t('signIn.withProvider', { name: props.openIdConnect.displayName })}
        </Button>
      )}
      <Anchor href="/account/reset" size="sm">
        {t('signIn.forgot')}
      </Anchor>
    </Stack>
  );
}

function SecondFactorStep(props: {
  busy: boolean;
  onSubmit: (field: 'code' | 'recoveryCode', value: string) => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { value: '' },
    validate: { value: (value) => (value.trim() ? null : t('signIn.required')) },
  });
  return (
    <form
      onSubmit={form.onSubmit((values) => props.onSubmit(recovery ? 'recoveryCode' : 'code', values.value.replace(/\s/g, '')))}
      noValidate
    >
      <Stack>
        <Text size="sm">{t('secondFactor.intro')}</Text>
        <TextInput
          label={recovery ? t('secondFactor.recoveryCode') : t('secondFactor.code')}
          autoComplete={recovery ? 'off' : 'one-time-code'}
          inputMode={recovery ? 'text' : 'numeric'}
          required
          data-autofocus
          key={form.key('value') + (recovery ? '-recovery' : '-code')}
          {...form.getInputProps('value')}
        />
        <Button type="submit" loading={props.busy}>
          {t('secondFactor.submit')}
        </Button>
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={() => setRecovery(!recovery)}>
            {recovery ? t('secondFactor.useCode') : t('secondFactor.useRecovery')}
          </Anchor>
          <Anchor component="button" type="button" size="sm" onClick={props.onRestart}>
            {t('secondFactor.restart')}
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
