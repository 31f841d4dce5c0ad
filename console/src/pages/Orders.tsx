export function OrdersPage(_: { navigate(to: string): void }) {
  return null;
}
export function ShipmentPage() {
  return null;
}
