// One tree-sitter parser for Terraform files, loaded once per process. hcl2-parser gives values
// but no positions and no error locations; tree-sitter gives both, for block locations, syntax
// errors with a line, and surgical edits.
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

/** The shared Terraform parser (the grammar's terraform dialect: HCL plus Terraform functions). */
export function loadTerraformParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}
