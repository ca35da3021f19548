// Every "go to the code" link in the panel: a button that posts a reveal request.
import { h } from './dom';
import type { WebviewRequest } from './types';

export type Reveal = (request: Extract<WebviewRequest, { type: 'reveal' }>) => void;

/** A small inline link-styled button: "line 18". */
export function lineLink(
  reveal: Reveal,
  line: number,
  label = `line ${line}`,
  title = `Go to line ${line}`,
): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'link', title, 'data-testid': 'line-link', 'data-line': line },
    label,
  );
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    reveal({ type: 'reveal', line });
  });
  return button;
}
