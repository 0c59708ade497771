// Renders the product list and a one-click "buy" button.
function formatPrice(cents, currency = "EUR") {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

async function render(root) {
  const products = await listProducts();
  root.innerHTML = products
    .map((p) => `<li>${p.title} ${formatPrice(p.price_cents)} <button data-sku="${p.sku}">Buy</button></li>`)
    .join("");
  root.addEventListener("click", async (e) => {
    const sku = e.target.dataset.sku;
    if (!sku) return;
    const res = await placeOrder({ lines: [{ sku, quantity: 1 }] }, "tok_demo");
    alert(`Order ${res.order_id}: ${res.status}`);
  });
}

render(document.getElementById("app"));
