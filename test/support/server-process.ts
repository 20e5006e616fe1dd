/** The switchyard command as a process of its own (`serve`, from the TypeScript or the build), and its start-up log line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** The start-up line's message ("Switchyard 0.1.0 listening on …; admin API …"). */
  startUp: string;
}

/** Starts `node <args>` (e.g. ['--import', 'tsx', 'src/main.ts', 'serve']) on PORT 0 and waits for its start-up line; kill the child when done. */
export async function startServerProcess(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    if (!line.includes('listening on')) continue;
    const { url, msg } = JSON.parse(line) as { url: string; msg: string };
    return { child, url, startUp: msg };
  }
  throw new Error(`switchyard ${args.join(' ')} exited without listening`);
}
