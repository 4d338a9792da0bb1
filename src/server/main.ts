import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

function loadConfigOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    // A wrong setting: its message is all the operator needs, not a stack trace.
    console.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

const config = loadConfigOrExit();
const { app, auth } = await buildApp(config, { level: config.logLevel });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info(`${signal}: shutting down`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

await app.listen({ port: config.port, host: config.host });
// Like Jupyter's token URL: one click signs the owner in; the link works once.
const token = await auth.createLoginToken();
console.log(
  `\n  Site Media Manager is running at ${config.publicUrl}\n` +
    `  Sign in (one-time link): ${config.publicUrl}/login?token=${token}\n` +
    `  API key: MEDIA_API_KEY, or the file ${config.dataDir}/api-key\n`,
);
