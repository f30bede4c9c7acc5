import { main } from './generator/cli.ts';

const io = {
  out: (l: string) => console.log('OUT', l),
  err: (l: string) => console.log('ERR', l),
  isTTY: false,
  progressAfterMs: 0,
};
for (const a of [
  ['completion'],
  ['--get-yargs-completions', 'eventgen', 'gen'],
  ['--get-yargs-completions', 'eventgen', 'generate', '--ch'],
  ['generate', '--config', 'nope.json'],
  ['generate', '--package-name', 'Bad'],
]) {
  console.log(a.join(' '), await main(a, io));
}
