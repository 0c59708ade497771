// Thin client for the gateway's public API.
const API = {
  products: "/api/products",
  orders: "/api/orders",
};

async function listProducts() {
  const res = await fetch(API.products);
  if (!res.ok) throw new Error(`catalog: ${res.status}`);
  return res.json();
}

async function placeOrder(order, paymentToken) {
  const res = await fetch(API.orders, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ order, payment_token: paymentToken }),
  });
  return res.json();
}
