import { startIngest, startProviderServer } from "./lib/loopback-servers.mjs";
import { halfIqr, median } from "./lib/stats.mjs";
import { bundleWorker } from "./lib/worker-bundle.mjs";
import { startWorkerd } from "./lib/workerd.mjs";
const N = Number(process.argv[2] ?? 60);
async function ttlb(url){const s=performance.now();const r=await fetch(url);await r.arrayBuffer();return performance.now()-s;}
const providers = await startProviderServer(); const fast = await startIngest(0); const slow = await startIngest(5000);
const base = { OPENAI_API_KEY:"sk", OPENAI_BASE_URL:`${providers.url}/v1`, ANTHROPIC_API_KEY:"sk", ANTHROPIC_BASE_URL: providers.url };
const plain=(await bundleWorker("plain.js")).code, traced=(await bundleWorker("moda.js")).code, ho=(await bundleWorker("moda-handler-only.js")).code;
const V=[{name:"untraced",code:plain,env:base},{name:"fast",code:traced,env:{...base,MODA_API_KEY:"k",MODA_BASE_URL:fast.url}},
{name:"slow",code:traced,env:{...base,MODA_API_KEY:"k",MODA_BASE_URL:slow.url}},{name:"nokey",code:traced,env:base},
{name:"slow-handler-only",code:ho,env:{...base,MODA_API_KEY:"k",MODA_BASE_URL:slow.url}}];
const w = await startWorkerd(V);
const S=Object.fromEntries(V.map(v=>[v.name,[]]));
for(let i=0;i<5+N;i++){for(let k=0;k<V.length;k++){const v=V[(i+k)%V.length];const t=await ttlb(`${w.urls[v.name]}/?q=hi`);if(i>=5)S[v.name].push(t);}}
for(const v of V) console.log(v.name.padEnd(20), median(S[v.name]).toFixed(3), "noise", halfIqr(S[v.name]).toFixed(3));
await w.stop(); await Promise.all([providers.close(),fast.close(),slow.close()]);
