export { GET } from "../../../api/users/[id]/route";
