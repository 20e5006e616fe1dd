import { useTitle } from '../components/use-load.ts';
import { BASE } from '../paths.ts';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no such page in the console. <a href={BASE}>Go to the dashboard</a>.
      </p>
    </>
  );
}
