-- Creates or updates the Salesforce CRM integration of one MarkMail user (table crm_integrations,
-- one row per user and provider). A template: every value comes from psql variables or the
-- environment; nothing personal and no token is stored in this file.
--
-- Prefer the application's own OAuth flow (/api/crm/oauth/salesforce/callback), which stores
-- fresh tokens itself. Use this file to seed or repair a row by hand, through the bastion:
--
--   read -rs SF_ACCESS_TOKEN && export SF_ACCESS_TOKEN     # never on a command line
--   scripts/db/psql.sh dev -f scripts/salesforce-integration/aws-deployment/insert_crm_integration_to_rds.sql \
--     -v user_email=ops@example.com \
--     -v org_id=00D000000000000EAA \
--     -v instance_url=https://your-org.my.salesforce.com
--
-- Required psql variables: user_email (an existing MarkMail user), org_id, instance_url.
-- Optional psql variables: api_version (v60.0), batch_size (200), sync_interval_minutes (60).
-- Environment (read with \getenv, psql >= 15): SF_ACCESS_TOKEN (required), SF_REFRESH_TOKEN.
-- Output: the row's id, user, provider, org, instance URL and sync flag; never the credentials.

\set ON_ERROR_STOP on
-- Terse errors: a failing statement never echoes its row (which holds the token).
\set VERBOSITY terse
\set SHOW_CONTEXT never

\if :{?user_email}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the psql variable user_email (-v user_email=<e-mail of an existing MarkMail user>)'; END $$;
\endif
\if :{?org_id}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the psql variable org_id (-v org_id=<Salesforce organization id>)'; END $$;
\endif
\if :{?instance_url}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the psql variable instance_url (-v instance_url=https://<your domain>.my.salesforce.com)'; END $$;
\endif
\if :{?api_version}
\else
  \set api_version v60.0
\endif
\if :{?batch_size}
\else
  \set batch_size 200
\endif
\if :{?sync_interval_minutes}
\else
  \set sync_interval_minutes 60
\endif

\getenv sf_access_token SF_ACCESS_TOKEN
\getenv sf_refresh_token SF_REFRESH_TOKEN
\if :{?sf_access_token}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set SF_ACCESS_TOKEN in the environment (read -rs SF_ACCESS_TOKEN && export SF_ACCESS_TOKEN)'; END $$;
\endif
\if :{?sf_refresh_token}
\else
  \set sf_refresh_token ''
\endif

SELECT count(*) = 1 AS user_found FROM users WHERE email = :'user_email' \gset
\if :user_found
\else
  DO $$ BEGIN RAISE EXCEPTION 'no MarkMail user with the given user_email'; END $$;
\endif

BEGIN;

INSERT INTO crm_integrations (
    user_id, provider, org_id, instance_url,
    credentials, settings, salesforce_settings, field_mappings, sync_enabled
)
SELECT
    u.id,
    'salesforce',
    :'org_id',
    :'instance_url',
    jsonb_build_object('access_token', :'sf_access_token', 'refresh_token', NULLIF(:'sf_refresh_token', '')),
    jsonb_build_object(
        'batch_size', (:'batch_size')::int,
        'sync_enabled', true,
        'sync_interval_minutes', (:'sync_interval_minutes')::int
    ),
    jsonb_build_object('api_version', :'api_version'),
    '[]'::jsonb,
    true
FROM users u
WHERE u.email = :'user_email'
ON CONFLICT (user_id, provider) DO UPDATE SET
    org_id = EXCLUDED.org_id,
    instance_url = EXCLUDED.instance_url,
    credentials = EXCLUDED.credentials,
    settings = EXCLUDED.settings,
    salesforce_settings = EXCLUDED.salesforce_settings,
    sync_enabled = EXCLUDED.sync_enabled
RETURNING id, user_id, provider, org_id, instance_url, sync_enabled;

COMMIT;

\unset sf_access_token
\unset sf_refresh_token
