import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router-dom';
import { InventoryPage } from './pages/inventory/Inventory';
import { CollateralPage } from './pages/inventory/Collateral';
import { MarginCallPage, MarginCallsPage } from './pages/inventory/MarginCalls';
import { LotDetailPage } from './pages/inventory/LotDetail';
import { ReceiptDetailPage } from './pages/inventory/ReceiptDetail';
import { ReleasesPage } from './pages/inventory/Releases';
import { ReleaseDetailPage } from './pages/inventory/ReleaseDetail';
import { NetworkFormPage, NetworksPage } from './pages/confirming/Networks';
import { NetworkDetailPage } from './pages/confirming/NetworkDetail';
import { BillApplyPage, BillsPage } from './pages/confirming/Bills';
import { BillDetailPage } from './pages/confirming/BillDetail';
import { BuybacksPage } from './pages/confirming/Buybacks';
import { DealerRedirect } from './pages/confirming/DealerRedirect';
import { AgreementsPage as BbAgreementsPage } from './pages/buyback/Agreements';
import { AssetsPage as BbAssetsPage } from './pages/buyback/Assets';
import { ValuesPage as BbValuesPage } from './pages/buyback/Values';
import { TradeDetailPage as BbTradeDetailPage, TradesPage as BbTradesPage } from './pages/buyback/Trades';
import { SupervisionPage as BbSupervisionPage } from './pages/buyback/Supervision';
import { ApplyPage, PoliciesPage } from './pages/insurance/Policies';
import { PolicyDetailPage } from './pages/insurance/PolicyDetail';
import { PremiumsPage } from './pages/insurance/Premiums';
import { SupervisionPage } from './pages/insurance/Supervision';
import { ClaimDetailPage, ClaimsPage } from './pages/insurance/Claims';
import { NewProjectPage, ProjectsPage } from './pages/guarantee/Projects';
import { ProjectDetailPage as GuaranteeProjectPage } from './pages/guarantee/ProjectDetail';
import { LedgerPage as GuaranteeLedgerPage } from './pages/guarantee/Ledger';
import { AuthProvider, useAuth } from './lib/auth';
import { useCurrencies } from './lib/hooks';
import { Shell } from './components/Shell';
import { LoginPage } from './pages/Login';
import { DashboardPage } from './pages/Dashboard';
import { PartyListPage } from './pages/PartyList';
import { PartyDetailPage } from './pages/PartyDetail';
import { GraphPage } from './pages/Graph';
import { AuditPage } from './pages/Audit';
import { UsersPage } from './pages/Users';
import { SystemPage } from './pages/System';
import { SearchPage } from './pages/Search';
import { NotFoundPage } from './pages/NotFound';
import { CreditLinesPage } from './pages/credit/CreditLines';
import { CreditLinePage } from './pages/credit/CreditLine';
import { CreditChangesPage } from './pages/credit/CreditChanges';
import { CreditNetworkPage } from './pages/credit/CreditNetwork';
import { LedgerPage } from './pages/Ledger';
import { InboxPage } from './pages/financing/Inbox';
import { ProductPage, ProductsPage } from './pages/financing/Products';
import { ScoringTemplatesPage } from './pages/scoring/Templates';
import { ScoreDetailPage, ScoreFormPage, ScoresPage } from './pages/scoring/Scores';
import { CustomerFieldsPage } from './pages/scoring/Fields';
import { FlowsPage } from './pages/financing/Flows';
import { ApplicationsPage } from './pages/financing/Applications';
import { ApplicationWizardPage } from './pages/financing/ApplicationWizard';
import { ApplicationDetailPage } from './pages/financing/ApplicationDetail';
import { LoansPage } from './pages/financing/Loans';
import { LoanDetailPage } from './pages/financing/LoanDetail';
import { CollectionPage, CollectionsPage } from './pages/financing/Collections';
import { EodPage } from './pages/financing/Eod';
import { ReportsPage } from './pages/financing/Reports';
import { CertificatesPage } from './pages/certificates/Certificates';
import { CertificateDetailPage } from './pages/certificates/CertificateDetail';
import { MarketPage, PortfolioPage, ReconciliationPage } from './pages/certificates/Market';
import { ReceivablesPage } from './pages/receivables/Receivables';
import { FactoringDealPage, ReceivableDetailPage } from './pages/receivables/ReceivableDetail';

function Routed() {
  const { me, loading } = useAuth();
  if (loading) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  if (!me) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route path="/login" element={<Navigate to="/" replace />} />
      <Route element={<Shell />}>
        <Route index element={<DashboardPage />} />
        <Route path="parties" element={<PartyListPage />} />
        <Route path="parties/:id" element={<PartyDetailPage />} />
        <Route path="graph" element={<GraphPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="system" element={<SystemPage />} />
        <Route path="credit" element={<CreditLinesPage />} />
        <Route path="credit/:id" element={<CreditLinePage />} />
        <Route path="credit-changes" element={<CreditChangesPage />} />
        <Route path="credit-network" element={<CreditNetworkPage />} />
        <Route path="ledger" element={<LedgerPage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="scoring/templates" element={<ScoringTemplatesPage />} />
        <Route path="scoring/scores" element={<ScoresPage />} />
        <Route path="scoring/scores/:id" element={<ScoreDetailPage />} />
        <Route path="scoring/score" element={<ScoreFormPage />} />
        <Route path="scoring/fields" element={<CustomerFieldsPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="flows" element={<FlowsPage />} />
        <Route path="applications" element={<ApplicationsPage />} />
        <Route path="applications/new" element={<ApplicationWizardPage />} />
        <Route path="applications/:id" element={<ApplicationDetailPage />} />
        <Route path="applications/:id/edit" element={<ApplicationWizardPage />} />
        <Route path="loans" element={<LoansPage />} />
        <Route path="loans/:id" element={<LoanDetailPage />} />
        <Route path="collections" element={<CollectionsPage />} />
        <Route path="inventory" element={<InventoryPage />} />
        <Route path="inventory/releases" element={<ReleasesPage />} />
        <Route path="inventory/releases/:id" element={<ReleaseDetailPage />} />
        <Route path="inventory/lots/:id" element={<LotDetailPage />} />
        <Route path="inventory/receipts/:id" element={<ReceiptDetailPage />} />
        <Route path="inventory/pledges" element={<CollateralPage />} />
        <Route path="inventory/margin-calls" element={<MarginCallsPage />} />
        <Route path="inventory/margin-calls/:id" element={<MarginCallPage />} />
        <Route path="collections/:id" element={<CollectionPage />} />
        <Route path="eod" element={<EodPage />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="certificates" element={<CertificatesPage />} />
        <Route path="certificates/market" element={<MarketPage />} />
        <Route path="certificates/portfolio" element={<PortfolioPage />} />
        <Route path="certificates/reconciliation" element={<ReconciliationPage />} />
        <Route path="certificates/:id" element={<CertificateDetailPage />} />
        <Route path="receivables" element={<ReceivablesPage />} />
        <Route path="receivables/:id" element={<ReceivableDetailPage />} />
        <Route path="factoring" element={<Navigate to="/receivables?tab=factoring" replace />} />
        <Route path="factoring/:id" element={<FactoringDealPage />} />
        <Route path="confirming" element={<Navigate to="/confirming/networks" replace />} />
        <Route path="confirming/networks" element={<NetworksPage />} />
        <Route path="confirming/networks/new" element={<NetworkFormPage />} />
        <Route path="confirming/networks/:id" element={<NetworkDetailPage />} />
        <Route path="confirming/networks/:id/edit" element={<NetworkFormPage />} />
        <Route path="confirming/dealers/:id" element={<DealerRedirect />} />
        <Route path="confirming/bills" element={<BillsPage />} />
        <Route path="confirming/bills/new" element={<BillApplyPage />} />
        <Route path="confirming/bills/:id" element={<BillDetailPage />} />
        <Route path="confirming/buybacks" element={<BuybacksPage />} />
        <Route path="buyback" element={<Navigate to="/buyback/agreements" replace />} />
        <Route path="buyback/agreements" element={<BbAgreementsPage />} />
        <Route path="buyback/assets" element={<BbAssetsPage />} />
        <Route path="buyback/values" element={<BbValuesPage />} />
        <Route path="buyback/trades" element={<BbTradesPage />} />
        <Route path="buyback/trades/:id" element={<BbTradeDetailPage />} />
        <Route path="buyback/supervision" element={<BbSupervisionPage />} />
        <Route path="insurance" element={<Navigate to="/insurance/policies" replace />} />
        <Route path="insurance/apply" element={<ApplyPage />} />
        <Route path="insurance/policies" element={<PoliciesPage />} />
        <Route path="insurance/policies/:id" element={<PolicyDetailPage />} />
        <Route path="insurance/premiums" element={<PremiumsPage />} />
        <Route path="insurance/supervision" element={<SupervisionPage />} />
        <Route path="insurance/claims" element={<ClaimsPage />} />
        <Route path="insurance/claims/:id" element={<ClaimDetailPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="guarantee" element={<Navigate to="/guarantee/projects" replace />} />
        <Route path="guarantee/projects" element={<ProjectsPage />} />
        <Route path="guarantee/projects/new" element={<NewProjectPage />} />
        <Route path="guarantee/projects/:id" element={<GuaranteeProjectPage />} />
        <Route path="guarantee/ledger" element={<GuaranteeLedgerPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  useCurrencies(); // renders again once the currencies' decimals (main.tsx: loadCurrencies) are in, so forms use them
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <AuthProvider>
          <Routed />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
