import { createServer } from "node:http";
import { answer } from "./lib/fake-llm.mjs";
import { startIngest } from "./lib/loopback-servers.mjs";
import { median } from "./lib/stats.mjs";
import { bundleWorker } from "./lib/worker-bundle.mjs";
import { startWorkerd } from "./lib/workerd.mjs";
const N = 40;
function prov(){ const st={conns:0}; const s=createServer(async(req,res)=>{const c=[];for await(const x of req)c.push(x);const r=answer(new URL(req.url,"http://x").pathname,Buffer.concat(c).toString());res.writeHead(r.status,r.headers);res.end(r.body);});
 s.on("connection",()=>st.conns++); return new Promise(r=>s.listen(0,"127.0.0.1",()=>r({url:`http://127.0.0.1:${s.address().port}`,st,s})));}
async function ttlb(url){const s=performance.now();const r=await fetch(url);await r.arrayBuffer();return performance.now()-s;}
const fast = await startIngest(0); const slow = await startIngest(5000);
const plain=(await bundleWorker("plain.js")).code, traced=(await bundleWorker("moda.js")).code;
const defs=[["untraced",plain,{}],["fast",traced,{MODA_API_KEY:"k",MODA_BASE_URL:fast.url}],["slow",traced,{MODA_API_KEY:"k",MODA_BASE_URL:slow.url}],["nokey",traced,{}]];
const V=[]; for(const [name,code,env] of defs){const p=await prov(); V.push({name,code,p,env:{OPENAI_API_KEY:"sk",OPENAI_BASE_URL:`${p.url}/v1`,ANTHROPIC_API_KEY:"sk",ANTHROPIC_BASE_URL:p.url,...env}});}
const w = await startWorkerd(V);
const S=Object.fromEntries(V.map(v=>[v.name,[]]));
for(let i=0;i<5+N;i++){for(let k=0;k<V.length;k++){const v=V[(i+k)%V.length];const t=await ttlb(`${w.urls[v.name]}/?q=hi`);if(i>=5)S[v.name].push(t);}}
for(const v of V) console.log(v.name.padEnd(10), median(S[v.name]).toFixed(3), "provider connections", v.p.st.conns);
await w.stop(); process.exit(0);
