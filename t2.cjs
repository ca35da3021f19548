const { Parser, Language } = require('web-tree-sitter');
(async () => {
await Parser.init();
const lang = await Language.load('node_modules/tree-sitter-python/tree-sitter-python.wasm');
const p = new Parser(); p.setLanguage(lang);
const src = process.argv[2];
const t = p.parse(src);
function dump(n, d) { console.log(' '.repeat(d*2) + (n.isNamed? n.type : JSON.stringify(n.type)) + (n.childCount===0? ' '+JSON.stringify(n.text):'') + (n.parent && n.parent.childForFieldName ? '' : '')); for (let i=0;i<n.childCount;i++){ const f = n.fieldNameForChild(i); if (f) process.stdout.write(' '.repeat(d*2+2)+'@'+f+'\n'); dump(n.child(i), d+1);} }
dump(t.rootNode, 0);
})();
