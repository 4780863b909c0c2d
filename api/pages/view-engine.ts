import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { escalationName } from './present';

/** templates/views at the project root (ts sources) or next to dist (built). */
export const defaultViewsDir = [path.resolve(__dirname, '..', '..', 'templates', 'views'), path.resolve(__dirname, '..', '..', '..', 'templates', 'views')].find((dir) =>
  fs.existsSync(dir),
) ?? path.resolve(__dirname, '..', '..', 'templates', 'views');

export interface ViewEngine {
  /** Renders `pages/<view>.hbs` inside `layouts/main.hbs`; all user text is escaped. */
  render(view: string, context: Record<string, unknown>): string;
}

/**
 * A small view engine on Handlebars: layouts, partials and pages compiled once at start (a
 * missing template fails the boot, not a request). Templates use `{{ }}` only, so every value
 * is HTML-escaped; the layout's `{{{body}}}` is the one raw insertion, of our own rendering.
 */
export function createViewEngine(viewsDir = defaultViewsDir): ViewEngine {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  handlebars.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  handlebars.registerHelper('not', (a: unknown) => !a);
  handlebars.registerHelper('escalationName', (level: unknown, ...rest: unknown[]) => escalationName(level, rest.length > 1 ? rest[0] : undefined));
  handlebars.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));

  const partialsDir = path.join(viewsDir, 'partials');
  for (const file of fs.readdirSync(partialsDir)) {
    if (file.endsWith('.hbs')) handlebars.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  const compile = (file: string) => handlebars.compile(fs.readFileSync(file, 'utf8'), { strict: false });
  const layout = compile(path.join(viewsDir, 'layouts', 'main.hbs'));
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of fs.readdirSync(path.join(viewsDir, 'pages'))) {
    if (file.endsWith('.hbs')) pages.set(file.slice(0, -4), compile(path.join(viewsDir, 'pages', file)));
  }

  return {
    render(view, context) {
      const page = pages.get(view);
      if (!page) throw new Error(`no page template ${view}`);
      return layout({ ...context, body: page(context) });
    },
  };
}
